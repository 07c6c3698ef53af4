// as-pect tests of the licensing contract (licensing/spec/*.spec.ts). From the repository root:
//   npx asp --config contracts-as/licensing/as-pect.config.js --as-config contracts-as/as-pect.asconfig.json
//
// The host is the mocked one of ../aspect-host.js (storage, iterators), with addr_validate accepting
// "<letters>1<≥ 4 lowercase letters or digits>" and query_chain answering cw721 owner_of / nft_info for one
// fake NFT contract whose tokens the spec sets through the `mock` imports (set_token, remove_token, reset).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { aspectConfig, relativeTo } from "../aspect-host.js";

const rel = relativeTo(path.dirname(fileURLToPath(import.meta.url)));

export const NFT_CONTRACT = "wasm1nftcontract";

export default aspectConfig({
  entries: [rel("spec/**/*.spec.ts")],
  include: [rel("spec/**/*.include.ts")],
  addresses: { valid: /^[a-z]+1[a-z0-9]{4,}$/, invalid: (a) => `invalid address: ${a}` },
  extend(host) {
    const tokens = new Map(); // token_id → { owner, extension (JSON text) }
    const ok = (v) => host.writeJson({ ok: { ok: Buffer.from(JSON.stringify(v)).toString("base64") } });

    function smartNft(msg) {
      const variant = Object.keys(msg)[0];
      const tokenId = msg[variant]?.token_id;
      const t = tokens.get(tokenId);
      if (variant === "owner_of" || variant === "nft_info") {
        if (t === undefined) return host.writeJson({ ok: { error: "Token not found" } });
        if (variant === "owner_of") return ok({ owner: t.owner, approvals: [] });
        return ok({ token_uri: null, extension: JSON.parse(t.extension) });
      }
      return host.writeJson({ ok: { error: `unknown variant \`${variant}\`` } });
    }

    const env = {
      query_chain(p) {
        const req = JSON.parse(host.readString(p));
        const smart = req.wasm?.smart;
        if (smart === undefined) return host.writeJson({ error: { unsupported_request: { kind: "test mock" } } });
        if (smart.contract_addr !== NFT_CONTRACT) return host.writeJson({ error: { no_such_contract: { addr: smart.contract_addr } } });
        return smartNft(JSON.parse(Buffer.from(smart.msg, "base64").toString("utf8")));
      },
    };
    const mock = {
      set_token(id, owner, extension) {
        tokens.set(host.readString(id), { owner: host.readString(owner), extension: host.readString(extension) });
      },
      remove_token(id) {
        tokens.delete(host.readString(id));
      },
      reset() {
        host.reset();
        tokens.clear();
      },
      storage_size() {
        return host.store.size;
      },
    };
    return { env, mock };
  },
});
