// Addresses used in the schemas' examples. Accounts are the localnet dev accounts (HD indexes 0..4 of the
// public dev mnemonic, localnet/README.md); contracts are where a fresh localnet puts them after
// `make deploy` (classic addresses of code 1/instance 1, code 2/instance 2, code 3/instance 3), which is
// also where contracts-as/schemas.test.ts deploys them in-process.
export const DEV = [
  "soa1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm2",
  "soa13flx2hu9f3ygslxmclwj6y8hlj9x4y7hlt93xx",
  "soa1mtgvz90pqqtywujd0rr0jy7thmadum3lf4pxzu",
  "soa1gxwyl2meuezlqh7cl7ypnffhg255k77ctrdkph",
  "soa175ya2nwz36kx7ltqxrcrvp6j9m4k0dn8q993e0",
];
/** Who plays which part in the examples. */
export const DEPLOYER = DEV[0]; // instantiates everything, receives the protocol and marketplace fees
export const CREATOR = DEV[1]; // mints models, publishes offers, lists on the marketplace
export const BUYER = DEV[2]; // buys licences and models
export const METER = DEV[3]; // the inference meter the creator authorises
export const OTHER = DEV[4];

export const MODEL_NFT = "soa14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9sng9n7p";
export const LICENSING = "soa1nc5tatafv6eyq7llkr2gv50ff9e22mnf70qgjlv737ktmt4eswrqlaq3u8";
export const MARKETPLACE = "soa17p9rzwnnfxcjp32un9ug7yhhzgtkhvl9jfksztgw5uh69wac2pgs8x754r";
/** A contract implementing cw721 `receive_nft` (the nft-receiver test contract, code 4 / instance 4 in the tests). */
export const RECEIVER = "soa1ghd753shjuwexxywmgs4xz7x2q732vcnkm6h2pyv9s6ah3hylvrqmsnd4z";

/** Token ids of the examples: a base model, a fine-tune of it and a quantized derivative. */
export const BASE_MODEL = "llama-3-8b";
export const FINE_TUNE = "llama-3-8b-med";
export const QUANTIZED = "llama-3-8b-q4";

/** base64 of a JSON value (cw721 send_nft hooks). */
export const b64 = (v) => Buffer.from(JSON.stringify(v), "utf8").toString("base64");
