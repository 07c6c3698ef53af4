import { setContractVersion, getContractVersion, assertContract } from "../cw2";
import { Item } from "../storage";
export { allocate } from "../exports";

describe("cw2 contract_info", () => {
  it("is absent until set", () => {
    expect<bool>(getContractVersion() === null).toBe(true);
    expect<string | null>(assertContract("crates.io:x")).toBe("Cannot migrate: no cw2 contract_info stored");
  });
  it("stores {contract, version} as JSON under the raw key contract_info", () => {
    setContractVersion("crates.io:soa-model-nft", "0.1.0");
    expect<string | null>(new Item("contract_info").loadJsonText()).toBe('{"contract":"crates.io:soa-model-nft","version":"0.1.0"}');
    const v = getContractVersion()!;
    expect<string>(v.contract).toBe("crates.io:soa-model-nft");
    expect<string>(v.version).toBe("0.1.0");
    expect<string | null>(assertContract("crates.io:soa-model-nft")).toBe(null);
    expect<string | null>(assertContract("crates.io:other")).toBe("Cannot migrate from a different contract type: crates.io:soa-model-nft");
  });
});
