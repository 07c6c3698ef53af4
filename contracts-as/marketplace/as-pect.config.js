// as-pect unit tests of the marketplace contract (marketplace/spec/*.spec.ts). From the repository root:
//   npx asp --config contracts-as/marketplace/as-pect.config.js --as-config contracts-as/as-pect.asconfig.json
//
// The host is the mocked one of ../aspect-host.js (a sorted in-memory store behind db_read/db_write/
// db_remove/db_scan/db_next with exactly the ABI's semantics: [start, end), empty key = end), with
// addr_validate accepting lowercase letters and digits, and query_chain answering cw721 `owner_of` (with approvals), `operator` and cw2981 `royalty_info` for the
// contract "nft" from tables the tests fill through the `mock` imports (see spec/mock.ts); expirations are
// judged at the block the spec's last handler call ran at (`set_block`), as model-nft does for
// include_expired false. The specs live in spec/, not __tests__/,
// because the shared contracts-as/as-pect.config.js runs every <contract>/__tests__ with its own host,
// which has neither the `mock` imports nor a query_chain that answers. contracts-as/marketplace.test.ts
// runs this suite as part of `make test`.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { aspectConfig, relativeTo } from "../aspect-host.js";

const rel = relativeTo(path.dirname(fileURLToPath(import.meta.url)));

export default aspectConfig({
  entries: [rel("spec/**/*.spec.ts")],
  include: [rel("spec/**/*.include.ts")],
  addresses: { valid: /^[a-z0-9]+$/ },
  extend(host) {
    let owners = new Map(); // token_id → owner
    let royalties = new Map(); // token_id → { address, bps } | { address, amount }
    let approvals = new Map(); // token_id → [{ spender, expires }] (cleared when the owner changes)
    let operators = new Map(); // "owner operator" → expires
    let block = { height: 0n, time: 0n };
    let queries = [];
    const readString = (ptr) => host.readString(ptr);
    const b64 = (s) => Buffer.from(s, "utf8").toString("base64");
    const expired = (e) =>
      e.at_height !== undefined ? block.height >= BigInt(e.at_height) : e.at_time !== undefined ? block.time >= BigInt(e.at_time) : false;
    const answer = (v) => ({ ok: { ok: b64(JSON.stringify(v)) } });
    const nftAnswer = (msg) => {
      if (msg.owner_of) {
        const o = owners.get(msg.owner_of.token_id);
        if (o === undefined) return { ok: { error: "Token not found" } };
        const all = approvals.get(msg.owner_of.token_id) ?? [];
        return answer({ owner: o, approvals: msg.owner_of.include_expired ? all : all.filter((a) => !expired(a.expires)) });
      }
      if (msg.operator) {
        const e = operators.get(msg.operator.owner + " " + msg.operator.operator);
        if (e === undefined || (!msg.operator.include_expired && expired(e))) return { ok: { error: "Approval not found" } };
        return answer({ approval: { spender: msg.operator.operator, expires: e } });
      }
      if (msg.royalty_info) {
        if (!owners.has(msg.royalty_info.token_id)) return { ok: { error: "Token not found" } };
        const r = royalties.get(msg.royalty_info.token_id) ?? { address: "creator", bps: 0 };
        const amount = r.amount ?? ((BigInt(msg.royalty_info.sale_price) * BigInt(r.bps)) / 10000n).toString();
        return { ok: { ok: b64(JSON.stringify({ address: r.address, royalty_amount: amount })) } };
      }
      return { ok: { error: "Error parsing into type QueryMsg: unknown variant" } };
    };
    const env = {
      query_chain(p) {
        const req = JSON.parse(readString(p));
        queries.push(req);
        let answer;
        const smart = req.wasm?.smart;
        if (smart && smart.contract_addr === "nft") {
          answer = nftAnswer(JSON.parse(Buffer.from(smart.msg, "base64").toString("utf8")));
        } else if (smart) {
          answer = { error: { no_such_contract: { addr: smart.contract_addr } } };
        } else {
          answer = { error: { unsupported_request: { kind: Object.keys(req)[0] } } };
        }
        return host.writeJson(answer);
      },
    };
    const mock = {
      reset() {
        host.reset();
        owners = new Map();
        royalties = new Map();
        approvals = new Map();
        operators = new Map();
        block = { height: 0n, time: 0n };
        queries = [];
      },
      set_owner(token, owner) {
        const t = readString(token);
        if (owners.get(t) !== readString(owner)) approvals.delete(t); // a transfer clears the approvals
        owners.set(t, readString(owner));
      },
      remove_owner(token) {
        owners.delete(readString(token));
        approvals.delete(readString(token));
      },
      approve(token, spender, expires) {
        const t = readString(token);
        const s = readString(spender);
        const list = (approvals.get(t) ?? []).filter((a) => a.spender !== s);
        list.push({ spender: s, expires: JSON.parse(readString(expires)) });
        approvals.set(t, list);
      },
      revoke(token, spender) {
        const t = readString(token);
        approvals.set(t, (approvals.get(t) ?? []).filter((a) => a.spender !== readString(spender)));
      },
      approve_all(owner, operator, expires) {
        operators.set(readString(owner) + " " + readString(operator), JSON.parse(readString(expires)));
      },
      revoke_all(owner, operator) {
        operators.delete(readString(owner) + " " + readString(operator));
      },
      set_block(height, time) {
        block = { height: BigInt.asUintN(64, height), time: BigInt.asUintN(64, time) };
      },
      set_royalty_bps(token, address, bps) {
        royalties.set(readString(token), { address: readString(address), bps });
      },
      set_royalty_amount(token, address, amount) {
        royalties.set(readString(token), { address: readString(address), amount: readString(amount) });
      },
      query_count() {
        return queries.length;
      },
      store_size() {
        return host.store.size;
      },
    };
    return { env, mock };
  },
});
