import { describe, expect, it } from "vitest";
import { defaultAppGenesis } from "../app/genesis.js";
import { DEV_ADDRESS } from "../constants.js";
import {
  type GenesisDoc,
  addCoins,
  addGenesisAccount,
  defaultConsensusParams,
  parseCoins,
  validateAddress,
  validateGenesis,
} from "./genesisFile.js";

const OTHER = "soa13flx2hu9f3ygslxmclwj6y8hlj9x4y7hlt93xx";

function doc(): GenesisDoc {
  return {
    genesis_time: "2026-01-01T00:00:00.000000000Z",
    chain_id: "soa-localnet-1",
    initial_height: "1",
    consensus_params: defaultConsensusParams(),
    validators: [
      {
        address: "F23E67F0FE3515F43AF51D8A736A2B17A3C25B2A",
        pub_key: { type: "tendermint/PubKeyEd25519", value: "2N4u3+dDGn/nRIVhe3q3seD0xCFTvw1P9AtccwR3eHg=" },
        power: "1",
        name: "node0",
      },
    ],
    app_hash: "",
    app_state: defaultAppGenesis(),
  };
}

describe("parseCoins", () => {
  it("parses, normalises and sorts by denom", () => {
    expect(parseCoins("1000000usoa, 5stake")).toEqual([
      { denom: "stake", amount: "5" },
      { denom: "usoa", amount: "1000000" },
    ]);
    expect(parseCoins("007ibc/ABC")).toEqual([{ denom: "ibc/ABC", amount: "7" }]);
  });
  it("rejects bad coins with the offending part in the message", () => {
    expect(() => parseCoins("")).toThrow(/invalid coins/);
    expect(() => parseCoins("0usoa")).toThrow(/positive/);
    expect(() => parseCoins("10u")).toThrow(/"10u"/);
    expect(() => parseCoins("1.5usoa")).toThrow(/"1.5usoa"/);
    expect(() => parseCoins("-1usoa")).toThrow(/"-1usoa"/);
    expect(() => parseCoins("1usoa,2usoa")).toThrow(/twice/);
    expect(() => parseCoins("1usoa,")).toThrow(/invalid coins/);
  });
  it("adds coin lists denom by denom", () => {
    expect(addCoins(parseCoins("1usoa"), parseCoins("2usoa,3stake"))).toEqual(parseCoins("3usoa,3stake"));
  });
});

describe("validateAddress", () => {
  it("accepts soa addresses and rejects other prefixes and bad checksums", () => {
    expect(() => validateAddress(DEV_ADDRESS)).not.toThrow();
    expect(() => validateAddress("cosmos1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm2")).toThrow(/invalid address/);
    expect(() => validateAddress("soa1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm3")).toThrow(/checksum/i);
    expect(() => validateAddress("nonsense")).toThrow(/invalid address/);
  });
});

describe("addGenesisAccount", () => {
  it("adds balances and keeps supply equal to their sum", () => {
    const d = addGenesisAccount(addGenesisAccount(doc(), DEV_ADDRESS, parseCoins("10usoa")), OTHER, parseCoins("5usoa,1stake"));
    expect(d.app_state.bank.balances).toHaveLength(2);
    expect(d.app_state.bank.supply).toEqual(parseCoins("15usoa,1stake"));
    expect(validateGenesis(d)).toEqual([]);
  });
  it("refuses a duplicate unless append, which merges", () => {
    const d = addGenesisAccount(doc(), DEV_ADDRESS, parseCoins("10usoa"));
    expect(() => addGenesisAccount(d, DEV_ADDRESS, parseCoins("1usoa"))).toThrow(/--append/);
    addGenesisAccount(d, DEV_ADDRESS, parseCoins("1usoa,2stake"), { append: true });
    expect(d.app_state.bank.balances).toEqual([{ address: DEV_ADDRESS, coins: parseCoins("11usoa,2stake") }]);
  });
  it("rejects a foreign address", () => {
    expect(() => addGenesisAccount(doc(), "cosmos1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm2", parseCoins("1usoa"))).toThrow();
  });
});

describe("validateGenesis", () => {
  it("accepts the default document", () => {
    expect(validateGenesis(doc())).toEqual([]);
    expect(validateGenesis(doc(), { chainId: "soa-localnet-1" })).toEqual([]);
  });
  it("reports every problem", () => {
    const d = doc();
    d.chain_id = "";
    d.validators = [];
    d.app_state.bank.balances = [
      { address: DEV_ADDRESS, coins: [{ denom: "usoa", amount: "0" }] },
      { address: DEV_ADDRESS, coins: [{ denom: "usoa", amount: "1" }, { denom: "stake", amount: "1" }] },
      { address: "cosmos1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm2", coins: [] },
    ];
    const problems = validateGenesis(d).join("\n");
    expect(problems).toMatch(/chain_id is empty/);
    expect(problems).toMatch(/validators is empty/);
    expect(problems).toMatch(/positive integer/);
    expect(problems).toMatch(/duplicate account/);
    expect(problems).toMatch(/sorted/);
    expect(problems).toMatch(/balances\[2\]: invalid address/);
  });
  it("checks the chain id and a stated supply", () => {
    const d = addGenesisAccount(doc(), DEV_ADDRESS, parseCoins("10usoa"));
    expect(validateGenesis(d, { chainId: "other-1" })).toEqual(['chain_id is "soa-localnet-1", expected "other-1"']);
    d.app_state.bank.supply = parseCoins("11usoa");
    expect(validateGenesis(d).join()).toMatch(/supply/);
  });
  it("checks app_state.gov", () => {
    const d = addGenesisAccount(doc(), DEV_ADDRESS, parseCoins("10usoa"));
    d.app_state.gov = { params: { voting_period: "20s" } };
    expect(validateGenesis(d)).toEqual([]);
    d.app_state.gov = { params: { quorum: "1.5" } };
    expect(validateGenesis(d)).toEqual(["app_state.gov.params.quorum too large: 1.500000000000000000"]);
  });
});
