// cw2: the `contract_info` Item {"contract":"crates.io:…","version":"…"} that tooling (and migrations)
// read to know which contract and version lives at an address. Raw key: "contract_info".
import { Item } from "./storage";
import { JsonWriter } from "./json";
import { Fields } from "./fields";
import { panic } from "./abort";

export const CONTRACT_INFO_KEY = "contract_info";
const CONTRACT_INFO = new Item(CONTRACT_INFO_KEY);

export class ContractVersion {
  constructor(
    /** e.g. "crates.io:soa-model-nft" */
    public contract: string,
    /** semver, e.g. "0.1.0" */
    public version: string,
  ) {}

  toJson(): string {
    return new JsonWriter().beginObject().fieldString("contract", this.contract).fieldString("version", this.version).endObject().toString();
  }
}

/** cw2 `set_contract_version` (call in instantiate and migrate). */
export function setContractVersion(contract: string, version: string): void {
  CONTRACT_INFO.saveJson(new ContractVersion(contract, version).toJson());
}

/** cw2 `get_contract_version`; null if never set. Aborts on a corrupt record (a contract bug). */
export function getContractVersion(): ContractVersion | null {
  const v = CONTRACT_INFO.loadJson();
  if (v === null) return null;
  const f = new Fields(v, "cw2::ContractVersion", false);
  const contract = f.string("contract");
  const version = f.string("version");
  if (f.done() !== null) panic("corrupt cw2 contract_info");
  return new ContractVersion(contract, version);
}

/**
 * Migration guard: the stored contract name must be `contract` (null if it is, else the error).
 * "Cannot migrate from a different contract type" when it differs or is missing.
 */
export function assertContract(contract: string): string | null {
  const cur = getContractVersion();
  if (cur === null) return "Cannot migrate: no cw2 contract_info stored";
  if (cur.contract != contract) return "Cannot migrate from a different contract type: " + cur.contract;
  return null;
}
