// marketplace messages and query responses: the source of the JSON Schemas in schema/ and of the typed
// client client/src/contracts/marketplace.ts (`make schemas`). Behaviour: README.md; code: assembly/.
// Examples run in order, in-process, in contracts-as/schemas.test.ts, after `setup` (model-nft messages:
// the mints, and the creator approving the marketplace as operator): `sender` signs (default CREATOR),
// `funds` are attached, `fails` = the expected contract error (the message itself is fine).
import { Addr, ContractVersion, Expiration, Timestamp, Uint128, array, bool, contract, def, ex, msg, nullable, opt, paging, string, struct, u32, variant } from "../schema/dsl.mjs";
import { BASE_MODEL, BUYER, CREATOR, DEPLOYER, FINE_TUNE, MARKETPLACE, MODEL_NFT, OTHER, QUANTIZED } from "../schema/examples.mjs";
import modelNft from "../model-nft/interface.mjs";

const usoa = (n) => [{ denom: "usoa", amount: String(n) }];

// ------------------------------------------------------------------------------------------------
// Types

const Config = def(
  "Config",
  struct({
    nft_contract: Addr,
    denom: string(),
    fee_bps: u32(),
    fee_recipient: Addr,
  }),
);
const sale = {
  token_id: string(),
  expires: { type: Expiration, doc: "never unless set" },
  created_at: { type: Timestamp, doc: "Block time when it was made." },
  expired: { type: bool(), doc: "Computed for the queried block." },
};
const Listing = def(
  "Listing",
  struct({ token_id: sale.token_id, seller: Addr, price: Uint128, expires: sale.expires, created_at: sale.created_at, expired: sale.expired }),
  "A fixed price for a token its seller keeps (with the marketplace approved) until a sale.",
);
const Offer = def(
  "Offer",
  struct({ token_id: sale.token_id, bidder: Addr, amount: { type: Uint128, doc: "Escrowed coins of `denom`." }, expires: sale.expires, created_at: sale.created_at, expired: sale.expired }),
  "Coins escrowed by a bidder for a token.",
);
const ListingsResponse = def("ListingsResponse", struct({ listings: array(Listing) }));
const OffersResponse = def("OffersResponse", struct({ offers: array(Offer) }));

// ------------------------------------------------------------------------------------------------
// Messages

export default contract({
  name: "marketplace",
  title: "Marketplace",
  contract: "crates.io:soa-marketplace",
  version: "0.2.0",
  defaultSender: CREATOR,
  /** model-nft messages run before the examples (schemas.test.ts). */
  setup: [
    ...modelNft.execute.mint.examples.map((e) => ({ contract: "model-nft", example: e })),
    { contract: "model-nft", example: { approve_all: { operator: MARKETPLACE, expires: null } } },
  ],

  instantiate: msg(
    struct({
      nft_contract: { type: string(), doc: "The model-nft collection whose tokens are traded." },
      denom: { type: string(), doc: "Prices and offers are in this denom." },
      fee_bps: { type: u32(), doc: "Marketplace fee on every sale (≤ 1000), after the creator royalty." },
      fee_recipient: { type: opt(string()), doc: "Receives the fee; null = the instantiating sender." },
    }),
    {
      doc: "Fixed-price listings and offers for one model-nft collection. No funds.",
      examples: [
        ex({ nft_contract: MODEL_NFT, denom: "usoa", fee_bps: 250, fee_recipient: DEPLOYER }, { sender: DEPLOYER }),
        ex({ nft_contract: MODEL_NFT, denom: "usoa", fee_bps: 0 }, { sender: DEPLOYER }),
      ],
    },
  ),

  executeDoc: "marketplace execute messages. Listings are approval-based: the owner approves the marketplace on model-nft (approve or approve_all) and keeps the token until a sale.",
  execute: {
    list: variant(struct({ token_id: string(), price: { type: Uint128, doc: "> 0, in the marketplace denom." }, expires: { type: opt(Expiration), doc: "null = never" } }), {
      doc: "The token's owner lists it at a fixed price; the marketplace must be approved for it (token approval or operator).",
      examples: [
        { list: { token_id: BASE_MODEL, price: "25000000", expires: null } },
        { list: { token_id: FINE_TUNE, price: "8000000", expires: { at_height: 1000000 } } },
        { list: { token_id: QUANTIZED, price: "1000000", expires: { at_time: "1893456000000000000" } } },
      ],
    }),
    buy: variant(struct({ token_id: string() }), {
      doc: "Buy a listed token: funds = exactly its price. Pays the creator royalty, the fee, then the seller; moves the token as approved spender.",
      funds: true,
      examples: [ex({ buy: { token_id: BASE_MODEL } }, { sender: BUYER, funds: usoa(25000000) })],
    }),
    make_offer: variant(struct({ token_id: string(), expires: opt(Expiration) }), {
      doc: "Escrow an offer (funds: one coin of denom, > 0) for an existing token; replaces and refunds the bidder's earlier offer on it.",
      funds: true,
      examples: [
        ex({ make_offer: { token_id: FINE_TUNE, expires: null } }, { sender: BUYER, funds: usoa(6000000) }),
        ex({ make_offer: { token_id: FINE_TUNE, expires: { at_height: 1000000 } } }, { sender: OTHER, funds: usoa(5000000) }),
        ex({ make_offer: { token_id: QUANTIZED, expires: { at_time: "1893456000000000000" } } }, { sender: BUYER, funds: usoa(3000000) }),
        ex({ make_offer: { token_id: BASE_MODEL } }, { sender: OTHER, funds: usoa(1000000) }),
      ],
    }),
    cancel_listing: variant(struct({ token_id: string() }), {
      doc: "The seller ends a listing (also after expiry or once stale).",
      examples: [{ cancel_listing: { token_id: FINE_TUNE } }],
    }),
    accept_offer: variant(struct({ token_id: string(), bidder: string() }), {
      doc: "The token's owner (marketplace approved) sells it at `bidder`'s offer; a listing of the token ends.",
      examples: [{ accept_offer: { token_id: FINE_TUNE, bidder: BUYER } }],
    }),
    cancel_offer: variant(struct({ token_id: string() }), {
      doc: "The bidder takes the offer back (any time).",
      examples: [ex({ cancel_offer: { token_id: FINE_TUNE } }, { sender: OTHER })],
    }),
    remove_stale_listing: variant(struct({ token_id: string() }), {
      doc: "Anyone removes a listing that is expired or stale (the seller no longer owns the token, or the marketplace is no longer approved).",
      examples: [ex({ remove_stale_listing: { token_id: QUANTIZED } }, { sender: OTHER, fails: "Listing is not stale" })],
    }),
    refund_expired_offer: variant(struct({ token_id: string(), bidder: string() }), {
      doc: "Anyone, once the offer expired: the coins go back to the bidder.",
      examples: [ex({ refund_expired_offer: { token_id: QUANTIZED, bidder: BUYER } }, { sender: OTHER, fails: "Offer not expired" })],
    }),
  },

  migrate: msg(struct({}), {
    doc: "Same contract name only (cw2); records the new version. From 0.1.0 (escrow listings) every held NFT goes back to its seller.",
    examples: [ex({}, { sender: DEPLOYER })],
  }),

  queryDoc: "marketplace queries. They do not ask the nft contract: a listing may be stale (check owner_of / operator, or just try buy).",
  query: {
    config: variant(struct({}), { returns: Config, examples: [{ config: {} }] }),
    listing: variant(struct({ token_id: string() }), {
      doc: "The token's listing, or null.",
      returns: nullable(Listing),
      examples: [{ listing: { token_id: QUANTIZED } }, { listing: { token_id: BASE_MODEL } }],
    }),
    listings: variant(struct({ ...paging("Token id to start after") }), {
      doc: "All listings by token id.",
      returns: ListingsResponse,
      examples: [{ listings: { start_after: null, limit: 10 } }],
    }),
    listings_by_seller: variant(struct({ seller: string(), ...paging("Token id to start after") }), {
      doc: "A seller's listings by token id.",
      returns: ListingsResponse,
      examples: [{ listings_by_seller: { seller: CREATOR, start_after: null, limit: null } }],
    }),
    offers: variant(struct({ token_id: string(), ...paging("Bidder address to start after") }), {
      doc: "Offers on a token by bidder.",
      returns: OffersResponse,
      examples: [{ offers: { token_id: QUANTIZED, start_after: null, limit: null } }],
    }),
    offers_by_bidder: variant(struct({ bidder: string(), ...paging("Token id to start after") }), {
      doc: "A bidder's offers by token id.",
      returns: OffersResponse,
      examples: [{ offers_by_bidder: { bidder: OTHER, start_after: null, limit: 10 } }],
    }),
    contract_info: variant(struct({}), { doc: "cw2 contract name and version.", returns: ContractVersion, examples: [{ contract_info: {} }] }),
  },
});
