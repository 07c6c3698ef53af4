import { instantiate2Address as cosmjsInstantiate2Address } from "@cosmjs/cosmwasm";
import { fromHex } from "@cosmjs/encoding";
import { describe, expect, it } from "vitest";
import { formatAddress, parseAddress } from "../../types/address.js";
import { instantiate2Address } from "./addresses.js";

describe("contract addresses", () => {
  it("instantiate2 matches CosmJS's prediction", () => {
    const checksum = fromHex("13a1fc994cc6d1c81b746ee0c0ff6f90043875e0bf1d9be6b7d779fc978dc2a5");
    const creator = "soa1qyqszqgpqyqszqgpqyqszqgpqyqszqgpza7eqr";
    for (const salt of [Buffer.from("a"), Buffer.alloc(64, 7)]) {
      const ours = formatAddress(instantiate2Address(checksum, parseAddress(creator), salt, new Uint8Array()));
      expect(ours).toBe(cosmjsInstantiate2Address(checksum, creator, salt, "soa"));
    }
  });
});
