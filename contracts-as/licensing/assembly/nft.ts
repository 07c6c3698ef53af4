// Reads of the model-nft (cw721) contract through query_chain.
import { Fields, JsonKind, JsonValue, JsonWriter, Result, querySmart } from "../../sdk";

const QUERIER_CONTRACT_ERROR = "Querier contract error";

/** Whether a failed query was answered by the NFT contract itself (e.g. the token does not exist). */
export function isContractError(err: string): bool {
  return err.startsWith(QUERIER_CONTRACT_ERROR);
}

function tokenQuery(variant: string, tokenId: string): string {
  return new JsonWriter()
    .beginObject()
    .key(variant)
    .beginObject()
    .fieldString("token_id", tokenId)
    .endObject()
    .endObject()
    .toString();
}

/** cw721 `owner_of` → the current owner's address. */
export function ownerOf(nft: string, tokenId: string): Result<string> {
  const r = querySmart(nft, tokenQuery("owner_of", tokenId));
  if (!r.isOk) return Result.err<string>(r.error!);
  // Lenient: the NFT contract may add fields (approvals, …).
  const f = new Fields(r.value, "OwnerOfResponse", false);
  const owner = f.string("owner");
  const err = f.done();
  if (err !== null) return Result.err<string>(err);
  return Result.ok<string>(owner);
}

/** The parts of a model manifest (cw721 `nft_info` extension) this contract uses. */
export class ManifestInfo {
  parents: string[] = [];
  royaltyBps: u32 = 0;
}

/** cw721 `nft_info` → parents and royalty_bps of the token's manifest (a null extension has neither). */
export function manifestOf(nft: string, tokenId: string): Result<ManifestInfo> {
  const r = querySmart(nft, tokenQuery("nft_info", tokenId));
  if (!r.isOk) return Result.err<ManifestInfo>(r.error!);
  const f = new Fields(r.value, "NftInfoResponse", false);
  const ext = f.opt("extension");
  const out = new ManifestInfo();
  if (ext !== null) {
    const m = new Fields(ext, "Manifest", false);
    const parents = m.opt("parents");
    if (parents !== null) {
      if (parents.kind != JsonKind.Array) m.fail("invalid type: " + parents.describe() + ", expected a sequence");
      else {
        for (let i = 0; i < parents.items.length; i++) {
          const p: JsonValue = parents.items[i];
          if (p.kind != JsonKind.String) {
            m.fail("invalid type: " + p.describe() + ", expected a string");
            break;
          }
          out.parents.push(p.text);
        }
      }
    }
    out.royaltyBps = m.opt("royalty_bps") === null ? 0 : m.u32("royalty_bps");
    const err = m.done();
    if (err !== null) f.fail(err);
  }
  const err = f.done();
  if (err !== null) return Result.err<ManifestInfo>(err);
  return Result.ok<ManifestInfo>(out);
}
