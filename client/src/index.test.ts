import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { describe, expect, it } from "vitest";
import * as chain from "../../chain/src/constants.js";
import {
  BECH32_PREFIX,
  COIN_TYPE,
  DECIMALS,
  DEFAULT_CHAIN_ID,
  DEFAULT_GAS_PRICE,
  DEFAULT_RPC,
  DENOM,
  DEV_ADDRESS,
  DEV_MNEMONIC,
  DISPLAY_DENOM,
  HD_PATH,
  MIN_GAS_PRICE,
  NodeUnreachableError,
  connectQueryClient,
  connectSigningClient,
  deriveAddress,
  fromBaseUnits,
  hdPath,
  toBaseUnits,
  usoa,
} from "./index.js";
import { pathToString } from "@cosmjs/crypto";

describe("@soa/client constants", () => {
  it("match the chain's constants", () => {
    expect(BECH32_PREFIX).toBe("soa");
    expect(DENOM).toBe("usoa");
    expect(DISPLAY_DENOM).toBe("SOA");
    expect(DECIMALS).toBe(6);
    expect(DEFAULT_CHAIN_ID).toBe("soa-localnet-1");
    expect(DEFAULT_RPC).toBe("http://127.0.0.1:26657");
    expect(HD_PATH).toBe("m/44'/118'/0'/0/0");
    expect(COIN_TYPE).toBe(118);
    // the client is standalone (no runtime dependency on @soa/chain), so pin it against the chain here
    expect([BECH32_PREFIX, DENOM, DISPLAY_DENOM, DECIMALS, DEFAULT_CHAIN_ID, HD_PATH, COIN_TYPE, MIN_GAS_PRICE, DEV_MNEMONIC, DEV_ADDRESS]).toEqual([
      chain.BECH32_PREFIX,
      chain.BOND_DENOM,
      chain.DISPLAY_DENOM,
      chain.DENOM_EXPONENT,
      chain.DEFAULT_CHAIN_ID,
      chain.HD_PATH,
      chain.COIN_TYPE,
      chain.DEFAULT_MIN_GAS_PRICES,
      chain.DEV_MNEMONIC,
      chain.DEV_ADDRESS,
    ]);
  });

  it("uses a default gas price of 0.025usoa, above the node minimum", () => {
    expect(DEFAULT_GAS_PRICE.denom).toBe("usoa");
    expect(DEFAULT_GAS_PRICE.amount.toString()).toBe("0.025");
  });

  it("builds HD paths m/44'/118'/0'/0/i", () => {
    expect(pathToString(hdPath())).toBe(HD_PATH);
    expect(pathToString(hdPath(4))).toBe("m/44'/118'/0'/0/4");
    expect(() => hdPath(-1)).toThrow();
    expect(() => hdPath(1.5)).toThrow();
  });
});

describe("address derivation", () => {
  it("derives the documented dev address from the dev mnemonic, in both wallet types", async () => {
    expect(await deriveAddress()).toBe("soa1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm2");
    const direct = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: BECH32_PREFIX });
    const amino = await Secp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: BECH32_PREFIX });
    expect((await direct.getAccounts())[0]!.address).toBe(DEV_ADDRESS);
    expect((await amino.getAccounts())[0]!.address).toBe(DEV_ADDRESS);
  });

  it("derives distinct addresses per HD index", async () => {
    const addrs = await Promise.all([0, 1, 2, 3, 4].map((i) => deriveAddress(DEV_MNEMONIC, i)));
    expect(new Set(addrs).size).toBe(5);
    for (const a of addrs) expect(a).toMatch(/^soa1[02-9ac-hj-np-z]{38}$/);
  });
});

describe("units", () => {
  it("converts between SOA and usoa exactly", () => {
    expect(toBaseUnits("1.5")).toBe("1500000");
    expect(toBaseUnits("0.000001")).toBe("1");
    expect(toBaseUnits("12")).toBe("12000000");
    expect(toBaseUnits("1.")).toBe("1000000");
    expect(toBaseUnits("123456789012345678901")).toBe("123456789012345678901000000");
    expect(() => toBaseUnits("0.0000001")).toThrow(/too many decimals/);
    expect(() => toBaseUnits("-1")).toThrow();
    expect(() => toBaseUnits("1e6")).toThrow();
    expect(fromBaseUnits("1500000")).toBe("1.5");
    expect(fromBaseUnits(1n)).toBe("0.000001");
    expect(fromBaseUnits("0")).toBe("0");
    expect(fromBaseUnits("7000000")).toBe("7");
    expect(usoa(5)).toEqual([{ denom: "usoa", amount: "5" }]);
  });
});

describe("connecting", () => {
  it("reports a clear error when no node listens", async () => {
    const rpc = "http://127.0.0.1:9"; // discard port: nothing listens there
    const err = await connectQueryClient(rpc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeUnreachableError);
    expect((err as Error).message).toMatch(/cannot reach an SOA node at http:\/\/127\.0\.0\.1:9/);
    expect((err as Error).message).toMatch(/make localnet/);
    await expect(connectSigningClient({ rpc })).rejects.toBeInstanceOf(NodeUnreachableError);
  });
});
