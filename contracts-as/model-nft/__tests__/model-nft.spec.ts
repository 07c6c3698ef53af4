// as-pect tests of every model-nft execute and query path (handlers called directly with parsed inputs;
// storage, iterators and addr_validate are the mocks of contracts-as/as-pect.config.js).
import { Env, MessageInfo, Coin, parseJson, JsonValue, Response, Result, fromUtf8, base64Decode } from "../../sdk";
import { instantiateHandler, executeHandler, queryHandler } from "../assembly/contract";
export { allocate } from "../../sdk/exports";

const MINTER = "soa1m7nter";
const ALICE = "soa1a7ce00";
const BOB = "soa1d0d000";
const CAROL = "soa1ca2900";
const MARKET = "soa1market";
const FEES = "soa1feefee";
const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

let height: u64 = 100;
let time: u64 = 1_700_000_000_000_000_000;

function env(): Env {
  const e = new Env();
  e.block.height = height;
  e.block.time = time;
  e.block.chain_id = "soa-test";
  e.contract_address = "soa1c0ntract";
  return e;
}

function info(sender: string, funds: Coin[] = []): MessageInfo {
  const i = new MessageInfo();
  i.sender = sender;
  i.funds = funds;
  return i;
}

function json(s: string): JsonValue {
  const p = parseJson(s);
  if (p.value === null) throw new Error("bad test JSON: " + s);
  return p.value!;
}

function exec(sender: string, msg: string, funds: Coin[] = []): Result<Response> {
  return executeHandler(env(), info(sender, funds), json(msg));
}

function ok(sender: string, msg: string, funds: Coin[] = []): Response {
  const r = exec(sender, msg, funds);
  expect<string | null>(r.error).toBe(null, msg);
  return r.value!;
}

function fails(sender: string, msg: string, error: string, funds: Coin[] = []): void {
  const r = exec(sender, msg, funds);
  expect<bool>(r.isOk).toBe(false, msg);
  expect<string>(r.error!).toBe(error);
}

function failsWith(sender: string, msg: string, part: string, funds: Coin[] = []): void {
  const r = exec(sender, msg, funds);
  expect<bool>(r.isOk).toBe(false, msg);
  expect<bool>(r.error!.includes(part)).toBe(true, r.error! + " should contain " + part);
}

function q(msg: string): string {
  const r = queryHandler(env(), json(msg));
  expect<string | null>(r.error).toBe(null, msg);
  return r.value!;
}

function qErr(msg: string): string {
  const r = queryHandler(env(), json(msg));
  expect<bool>(r.isOk).toBe(false, msg);
  return r.error!;
}

function attr(r: Response, key: string): string {
  for (let i = 0; i < r.attributes.length; i++) if (r.attributes[i].key == key) return r.attributes[i].value;
  return "<none>";
}

function manifest(royalty: u32 = 500, parents: string = "[]", extra: string = ""): string {
  return (
    '{"name":"llama-ft","version":"1.0.0","task":"text-generation","format":"safetensors","weights_sha256":"' +
    SHA +
    '","engine":"vllm","dtype":"bf16","uri":"ipfs://bafyweights","parents":' +
    parents +
    ',"verification":{"scheme":"TOPLOC","tolerance":"0.01"},"royalty_bps":' +
    royalty.toString() +
    extra +
    "}"
  );
}

function mintMsg(id: string, owner: string, ext: string, uri: string = "null"): string {
  return '{"mint":{"token_id":"' + id + '","owner":"' + owner + '","token_uri":' + uri + ',"extension":' + ext + "}}";
}

function usoa(n: string): Coin[] {
  return [new Coin("usoa", n)];
}

describe("instantiate", () => {
  it("rejects bad configs", () => {
    const bad = [
      '{"name":"M","symbol":"MDL","minter":null,"mint_fee":{"denom":"usoa","amount":"5"},"fee_recipient":null,"max_royalty_bps":null}',
      '{"name":"M","symbol":"MDL","minter":null,"mint_fee":{"denom":"usoa","amount":"0"},"fee_recipient":"' + FEES + '","max_royalty_bps":null}',
      '{"name":"M","symbol":"MDL","minter":"not-an-address","mint_fee":null,"fee_recipient":null,"max_royalty_bps":null}',
      '{"name":"M","symbol":"MDL","minter":null,"mint_fee":null,"fee_recipient":null,"max_royalty_bps":10001}',
      '{"name":"","symbol":"MDL","minter":null}',
      '{"name":"M","symbol":"MDL","minter":null,"extra":1}',
      '{"name":"M","symbol":"MDL","minter":null,"mint_fee":"5usoa"}',
    ];
    const want = [
      "fee_recipient is required when mint_fee is set",
      "mint_fee amount must be positive (use null for free minting)",
      "Invalid minter address 'not-an-address': Invalid address: not-an-address",
      "max_royalty_bps must be at most 10000",
      "Collection name must not be empty",
      "Error parsing into type InstantiateMsg: unknown field `extra`",
      'Error parsing into type InstantiateMsg: invalid type: string "5usoa", expected struct Coin (field `mint_fee`)',
    ];
    for (let i = 0; i < bad.length; i++) {
      const r = instantiateHandler(env(), info(MINTER), json(bad[i]));
      expect<string | null>(r.error).toBe(want[i]);
    }
    const paid = instantiateHandler(env(), info(MINTER, usoa("1")), json('{"name":"M","symbol":"MDL","minter":null}'));
    expect<string | null>(paid.error).toBe("This contract does not accept funds at instantiation");
  });

  it("stores a restricted collection with a mint fee", () => {
    const r = instantiateHandler(
      env(),
      info(MINTER),
      json('{"name":"Models","symbol":"MDL","minter":"' + MINTER + '","mint_fee":{"denom":"usoa","amount":"100"},"fee_recipient":"' + FEES + '","max_royalty_bps":null}'),
    );
    expect<string | null>(r.error).toBe(null);
    expect<string>(attr(r.value!, "minter")).toBe(MINTER);
    expect<string>(q('{"contract_info":{}}')).toBe('{"name":"Models","symbol":"MDL"}');
    expect<string>(q('{"minter":{}}')).toBe('{"minter":"' + MINTER + '"}');
    expect<string>(q('{"ownership":{}}')).toBe('{"owner":"' + MINTER + '","pending_owner":null,"pending_expiry":null}');
    expect<string>(q('{"num_tokens":{}}')).toBe('{"count":0}');
    expect<string>(q('{"config":{}}')).toBe(
      '{"open_minting":false,"mint_fee":{"denom":"usoa","amount":"100"},"fee_recipient":"' + FEES + '","max_royalty_bps":2500}',
    );
  });
});

describe("mint", () => {
  it("mints with the exact fee and forwards it to fee_recipient", () => {
    const r = ok(MINTER, mintMsg("base", ALICE, manifest(1000), '"ipfs://card"'), usoa("100"));
    expect<string>(attr(r, "action")).toBe("mint");
    expect<string>(attr(r, "minter")).toBe(MINTER);
    expect<string>(attr(r, "owner")).toBe(ALICE);
    expect<string>(attr(r, "token_id")).toBe("base");
    expect<i32>(r.messages.length).toBe(1);
    expect<string>(r.messages[0].msg.json).toBe('{"bank":{"send":{"to_address":"' + FEES + '","amount":[{"denom":"usoa","amount":"100"}]}}}');
    expect<string>(q('{"num_tokens":{}}')).toBe('{"count":1}');
  });

  it("stores the manifest with creator and created_at set by the contract", () => {
    expect<string>(q('{"nft_info":{"token_id":"base"}}')).toBe(
      '{"token_uri":"ipfs://card","extension":{"name":"llama-ft","version":"1.0.0","task":"text-generation","format":"safetensors","weights_sha256":"' +
        SHA +
        '","engine":"vllm","dtype":"bf16","uri":"ipfs://bafyweights","parents":[],"verification":{"scheme":"TOPLOC","tolerance":"0.01"},"royalty_bps":1000,"creator":"' +
        MINTER +
        '","created_at":"1700000000000000000"}}',
    );
  });

  it("rejects a wrong mint fee", () => {
    fails(MINTER, mintMsg("x", ALICE, manifest()), "Wrong funds: expected 100usoa, got nothing");
    fails(MINTER, mintMsg("x", ALICE, manifest()), "Wrong funds: expected 100usoa, got 99usoa", usoa("99"));
    fails(MINTER, mintMsg("x", ALICE, manifest()), "Wrong funds: expected 100usoa, got 100uatom", [new Coin("uatom", "100")]);
    fails(MINTER, mintMsg("x", ALICE, manifest()), "Wrong funds: expected 100usoa, got 100usoa,1uatom", [new Coin("usoa", "100"), new Coin("uatom", "1")]);
  });

  it("rejects a non-minter", () => {
    fails(ALICE, mintMsg("x", ALICE, manifest()), "Caller is not the contract's current owner", usoa("100"));
  });

  it("rejects a duplicate token id", () => {
    fails(MINTER, mintMsg("base", ALICE, manifest()), "token_id already claimed", usoa("100"));
  });

  it("rejects a royalty above the cap", () => {
    fails(MINTER, mintMsg("x", ALICE, manifest(2501)), "Royalty above cap: 2501 bps > 2500 bps", usoa("100"));
  });

  it("rejects an unknown parent, self-parenting and duplicates", () => {
    fails(MINTER, mintMsg("x", ALICE, manifest(0, '["nope"]')), "Unknown parent: nope", usoa("100"));
    fails(MINTER, mintMsg("x", ALICE, manifest(0, '["x"]')), "Invalid manifest: a model cannot be its own parent", usoa("100"));
    fails(MINTER, mintMsg("x", ALICE, manifest(0, '["base","base"]')), "Invalid manifest: duplicate parent base", usoa("100"));
    failsWith(MINTER, mintMsg("x", ALICE, manifest(0, "[1]")), "expected a string (field `parents`)", usoa("100"));
  });

  it("validates the manifest", () => {
    const bad = manifest().replace(SHA, SHA.toUpperCase());
    fails(MINTER, mintMsg("x", ALICE, bad), "Invalid manifest: `weights_sha256` must be 64 lowercase hex characters", usoa("100"));
    fails(MINTER, mintMsg("x", ALICE, manifest().replace(SHA, "abc")), "Invalid manifest: `weights_sha256` must be 64 lowercase hex characters", usoa("100"));
    failsWith(MINTER, mintMsg("x", ALICE, manifest().replace("TOPLOC", "MAGIC")), "verification scheme must be one of", usoa("100"));
    failsWith(MINTER, mintMsg("x", ALICE, manifest().replace('"0.01"', '"1e-3"')), "tolerance must be a decimal string", usoa("100"));
    fails(MINTER, mintMsg("x", ALICE, manifest().replace("TOPLOC", "EXACT")), "Invalid manifest: EXACT verification requires tolerance 0", usoa("100"));
    fails(MINTER, mintMsg("x", ALICE, manifest().replace('"name":"llama-ft"', '"name":""')), "Invalid manifest: `name` must not be empty", usoa("100"));
    failsWith(MINTER, mintMsg("x", ALICE, manifest(0, "[]", ',"creator":"' + BOB + '"')), "unknown field `creator`", usoa("100"));
    failsWith(MINTER, mintMsg("x", ALICE, manifest(0, "[]", ',"created_at":"1"')), "unknown field `created_at`", usoa("100"));
    failsWith(MINTER, mintMsg("x", ALICE, '{"name":"n"}'), "missing field `version`", usoa("100"));
    failsWith(MINTER, mintMsg("x", ALICE, "null"), "`extension` must be a ManifestInput object", usoa("100"));
    failsWith(MINTER, mintMsg("x", "bad", manifest()), "Invalid owner address", usoa("100"));
    fails(MINTER, mintMsg("", ALICE, manifest()), "token_id must not be empty", usoa("100"));
    failsWith(MINTER, '{"mint":{"token_id":"x","owner":"' + ALICE + '","extension":' + manifest() + ',"foo":1}}', "unknown field `foo`", usoa("100"));
  });

  it("mints fine-tunes with parents and indexes children and creators", () => {
    ok(MINTER, mintMsg("ft-1", BOB, manifest(0, '["base"]')), usoa("100"));
    ok(MINTER, mintMsg("ft-2", ALICE, manifest(2500, '["base","ft-1"]')), usoa("100"));
    ok(MINTER, mintMsg("a0", ALICE, manifest().replace("TOPLOC", "EXACT").replace('"0.01"', '"0.000"')), usoa("100"));
    expect<string>(q('{"children":{"token_id":"base"}}')).toBe('{"tokens":["ft-1","ft-2"]}');
    expect<string>(q('{"children":{"token_id":"ft-1"}}')).toBe('{"tokens":["ft-2"]}');
    expect<string>(q('{"children":{"token_id":"ft-2"}}')).toBe('{"tokens":[]}');
    expect<string>(q('{"children":{"token_id":"base","start_after":"ft-1","limit":5}}')).toBe('{"tokens":["ft-2"]}');
    expect<string>(q('{"models_by_creator":{"creator":"' + MINTER + '","start_after":null,"limit":null}}')).toBe('{"tokens":["a0","base","ft-1","ft-2"]}');
    expect<string>(q('{"models_by_creator":{"creator":"' + MINTER + '","start_after":"base","limit":1}}')).toBe('{"tokens":["ft-1"]}');
    expect<string>(q('{"models_by_creator":{"creator":"' + ALICE + '"}}')).toBe('{"tokens":[]}');
    expect<string>(q('{"num_tokens":{}}')).toBe('{"count":4}');
  });
});

describe("manifests are immutable", () => {
  it("refuses every edit message", () => {
    fails(ALICE, '{"extension":{"msg":{}}}', "Manifests are immutable; mint a new version");
    fails(ALICE, '{"update_nft_info":{"token_id":"base","token_uri":null,"extension":{}}}', "Manifests are immutable; mint a new version");
    fails(ALICE, '{"update_extension":{"msg":{}}}', "Manifests are immutable; mint a new version");
    fails(ALICE, '{"frobnicate":{}}', "Error parsing into type ExecuteMsg: unknown variant `frobnicate`, expected one of `transfer_nft`, `send_nft`, `approve`, `revoke`, `approve_all`, `revoke_all`, `mint`, `burn`, `update_ownership`");
  });
});

describe("queries of tokens", () => {
  it("owner_of / all_nft_info / tokens / all_tokens", () => {
    expect<string>(q('{"owner_of":{"token_id":"base","include_expired":null}}')).toBe('{"owner":"' + ALICE + '","approvals":[]}');
    expect<string>(qErr('{"owner_of":{"token_id":"nope"}}')).toBe("Token not found");
    expect<string>(qErr('{"nft_info":{"token_id":"nope"}}')).toBe("Token not found");
    const all = q('{"all_nft_info":{"token_id":"ft-1","include_expired":null}}');
    expect<bool>(all.startsWith('{"access":{"owner":"' + BOB + '","approvals":[]},"info":{"token_uri":null,"extension":{"name":"llama-ft"')).toBe(true, all);
    expect<string>(q('{"tokens":{"owner":"' + ALICE + '","start_after":null,"limit":null}}')).toBe('{"tokens":["a0","base","ft-2"]}');
    expect<string>(q('{"tokens":{"owner":"' + ALICE + '","start_after":"a0","limit":1}}')).toBe('{"tokens":["base"]}');
    expect<string>(q('{"all_tokens":{"start_after":null,"limit":null}}')).toBe('{"tokens":["a0","base","ft-1","ft-2"]}');
    expect<string>(q('{"all_tokens":{"start_after":"base","limit":2}}')).toBe('{"tokens":["ft-1","ft-2"]}');
    expect<string>(q('{"all_tokens":{"limit":0}}')).toBe('{"tokens":[]}');
    expect<bool>(qErr('{"tokens":{"owner":"x"}}').includes("Invalid owner address")).toBe(true);
    expect<bool>(qErr('{"all_tokens":{"limit":-1}}').includes("expected u64")).toBe(true);
    expect<bool>(qErr('{"nope":{}}').startsWith("Error parsing into type QueryMsg: unknown variant `nope`")).toBe(true);
    expect<bool>(qErr('{"num_tokens":{"x":1}}').includes("unknown field `x`")).toBe(true);
  });

  it("royalty_info pays the creator, rounded down (and the cw2981 extension form)", () => {
    expect<string>(q('{"royalty_info":{"token_id":"base","sale_price":"1000"}}')).toBe('{"address":"' + MINTER + '","royalty_amount":"100"}');
    expect<string>(q('{"royalty_info":{"token_id":"ft-2","sale_price":"999"}}')).toBe('{"address":"' + MINTER + '","royalty_amount":"249"}');
    expect<string>(q('{"royalty_info":{"token_id":"ft-1","sale_price":"999"}}')).toBe('{"address":"' + MINTER + '","royalty_amount":"0"}');
    expect<string>(q('{"royalty_info":{"token_id":"base","sale_price":"340282366920938463463374607431768211455"}}')).toBe(
      '{"address":"' + MINTER + '","royalty_amount":"34028236692093846346337460743176821145"}',
    );
    expect<string>(q('{"extension":{"msg":{"royalty_info":{"token_id":"base","sale_price":"10"}}}}')).toBe('{"address":"' + MINTER + '","royalty_amount":"1"}');
    expect<string>(q('{"check_royalties":{}}')).toBe('{"royalty_payments":true}');
    expect<string>(q('{"extension":{"msg":{"check_royalties":{}}}}')).toBe('{"royalty_payments":true}');
    expect<string>(qErr('{"royalty_info":{"token_id":"nope","sale_price":"1"}}')).toBe("Token not found");
    expect<bool>(qErr('{"royalty_info":{"token_id":"base","sale_price":1}}').includes("expected a string")).toBe(true);
  });
});

describe("transfer, approvals, operators", () => {
  it("only the owner (or an approved spender/operator) may transfer", () => {
    fails(BOB, '{"transfer_nft":{"recipient":"' + BOB + '","token_id":"base"}}', "Unauthorized");
    fails(ALICE, '{"transfer_nft":{"recipient":"' + BOB + '","token_id":"nope"}}', "Token not found");
    failsWith(ALICE, '{"transfer_nft":{"recipient":"bad","token_id":"base"}}', "Invalid recipient address");
    fails(ALICE, '{"transfer_nft":{"recipient":"' + BOB + '","token_id":"base"}}', "This message does not accept funds", usoa("1"));
    const r = ok(ALICE, '{"transfer_nft":{"recipient":"' + BOB + '","token_id":"a0"}}');
    expect<string>(attr(r, "action")).toBe("transfer_nft");
    expect<string>(attr(r, "sender")).toBe(ALICE);
    expect<string>(attr(r, "recipient")).toBe(BOB);
    expect<string>(attr(r, "token_id")).toBe("a0");
    expect<string>(q('{"tokens":{"owner":"' + BOB + '"}}')).toBe('{"tokens":["a0","ft-1"]}');
    expect<string>(q('{"tokens":{"owner":"' + ALICE + '"}}')).toBe('{"tokens":["base","ft-2"]}');
  });

  it("approve with expiration; the spender can transfer until it expires", () => {
    const r = ok(ALICE, '{"approve":{"spender":"' + CAROL + '","token_id":"base","expires":{"at_height":105}}}');
    expect<string>(attr(r, "action")).toBe("approve");
    expect<string>(attr(r, "spender")).toBe(CAROL);
    fails(BOB, '{"approve":{"spender":"' + BOB + '","token_id":"base","expires":null}}', "Unauthorized");
    fails(ALICE, '{"approve":{"spender":"' + BOB + '","token_id":"base","expires":{"at_height":100}}}', "Cannot set approval that is already expired");
    failsWith(ALICE, '{"approve":{"spender":"' + BOB + '","token_id":"base","expires":{"at_block":1}}}', "unknown variant `at_block`");
    expect<string>(q('{"approval":{"token_id":"base","spender":"' + CAROL + '","include_expired":null}}')).toBe(
      '{"approval":{"spender":"' + CAROL + '","expires":{"at_height":105}}}',
    );
    expect<string>(q('{"approval":{"token_id":"base","spender":"' + ALICE + '"}}')).toBe('{"approval":{"spender":"' + ALICE + '","expires":{"never":{}}}}');
    expect<string>(qErr('{"approval":{"token_id":"base","spender":"' + BOB + '"}}')).toBe("Approval not found");
    expect<string>(q('{"approvals":{"token_id":"base","include_expired":null}}')).toBe('{"approvals":[{"spender":"' + CAROL + '","expires":{"at_height":105}}]}');
    expect<string>(q('{"owner_of":{"token_id":"base"}}')).toBe('{"owner":"' + ALICE + '","approvals":[{"spender":"' + CAROL + '","expires":{"at_height":105}}]}');
    // Expired approvals are hidden (unless include_expired) and useless.
    height = 105;
    expect<string>(q('{"approvals":{"token_id":"base"}}')).toBe('{"approvals":[]}');
    expect<string>(q('{"approvals":{"token_id":"base","include_expired":true}}')).toBe('{"approvals":[{"spender":"' + CAROL + '","expires":{"at_height":105}}]}');
    expect<string>(qErr('{"approval":{"token_id":"base","spender":"' + CAROL + '"}}')).toBe("Approval not found");
    expect<string>(q('{"approval":{"token_id":"base","spender":"' + CAROL + '","include_expired":true}}')).toBe(
      '{"approval":{"spender":"' + CAROL + '","expires":{"at_height":105}}}',
    );
    fails(CAROL, '{"transfer_nft":{"recipient":"' + CAROL + '","token_id":"base"}}', "Unauthorized");
    height = 100;
  });

  it("re-approving replaces, revoke removes, a transfer clears approvals", () => {
    ok(ALICE, '{"approve":{"spender":"' + CAROL + '","token_id":"base","expires":{"at_time":"1800000000000000000"}}}');
    ok(ALICE, '{"approve":{"spender":"' + BOB + '","token_id":"base"}}');
    expect<string>(q('{"approvals":{"token_id":"base"}}')).toBe(
      '{"approvals":[{"spender":"' + CAROL + '","expires":{"at_time":"1800000000000000000"}},{"spender":"' + BOB + '","expires":{"never":{}}}]}',
    );
    fails(CAROL, '{"revoke":{"spender":"' + BOB + '","token_id":"base"}}', "Unauthorized");
    const r = ok(ALICE, '{"revoke":{"spender":"' + BOB + '","token_id":"base"}}');
    expect<string>(attr(r, "action")).toBe("revoke");
    expect<string>(q('{"approvals":{"token_id":"base"}}')).toBe('{"approvals":[{"spender":"' + CAROL + '","expires":{"at_time":"1800000000000000000"}}]}');
    // The approved spender transfers; approvals are cleared.
    ok(CAROL, '{"transfer_nft":{"recipient":"' + CAROL + '","token_id":"base"}}');
    expect<string>(q('{"owner_of":{"token_id":"base"}}')).toBe('{"owner":"' + CAROL + '","approvals":[]}');
    ok(CAROL, '{"transfer_nft":{"recipient":"' + ALICE + '","token_id":"base"}}');
  });

  it("operators: approve_all / revoke_all / operator / all_operators", () => {
    const r = ok(ALICE, '{"approve_all":{"operator":"' + CAROL + '","expires":{"at_height":200}}}');
    expect<string>(attr(r, "action")).toBe("approve_all");
    expect<string>(attr(r, "operator")).toBe(CAROL);
    ok(ALICE, '{"approve_all":{"operator":"' + MARKET + '","expires":null}}');
    ok(ALICE, '{"approve_all":{"operator":"' + BOB + '","expires":{"at_height":101}}}');
    fails(ALICE, '{"approve_all":{"operator":"' + BOB + '","expires":{"at_time":"1"}}}', "Cannot set approval that is already expired");
    expect<string>(q('{"operator":{"owner":"' + ALICE + '","operator":"' + CAROL + '","include_expired":null}}')).toBe(
      '{"approval":{"spender":"' + CAROL + '","expires":{"at_height":200}}}',
    );
    expect<string>(qErr('{"operator":{"owner":"' + BOB + '","operator":"' + CAROL + '"}}')).toBe("Approval not found");
    expect<string>(q('{"all_operators":{"owner":"' + ALICE + '","include_expired":null,"start_after":null,"limit":null}}')).toBe(
      '{"operators":[{"spender":"' + CAROL + '","expires":{"at_height":200}},{"spender":"' + BOB + '","expires":{"at_height":101}},{"spender":"' + MARKET + '","expires":{"never":{}}}]}',
    );
    expect<string>(q('{"all_operators":{"owner":"' + ALICE + '","start_after":"' + CAROL + '","limit":1}}')).toBe(
      '{"operators":[{"spender":"' + BOB + '","expires":{"at_height":101}}]}',
    );
    // An operator may transfer and approve on the owner's behalf.
    ok(CAROL, '{"approve":{"spender":"' + MARKET + '","token_id":"ft-2","expires":null}}');
    ok(CAROL, '{"transfer_nft":{"recipient":"' + CAROL + '","token_id":"ft-2"}}');
    ok(CAROL, '{"transfer_nft":{"recipient":"' + ALICE + '","token_id":"ft-2"}}');
    // Expired operators disappear from queries and lose their rights.
    height = 101;
    expect<string>(q('{"all_operators":{"owner":"' + ALICE + '","limit":2}}')).toBe(
      '{"operators":[{"spender":"' + CAROL + '","expires":{"at_height":200}},{"spender":"' + MARKET + '","expires":{"never":{}}}]}',
    );
    expect<string>(q('{"all_operators":{"owner":"' + ALICE + '","include_expired":true,"limit":2}}')).toBe(
      '{"operators":[{"spender":"' + CAROL + '","expires":{"at_height":200}},{"spender":"' + BOB + '","expires":{"at_height":101}}]}',
    );
    fails(BOB, '{"transfer_nft":{"recipient":"' + BOB + '","token_id":"ft-2"}}', "Unauthorized");
    height = 100;
    const rv = ok(ALICE, '{"revoke_all":{"operator":"' + CAROL + '"}}');
    expect<string>(attr(rv, "action")).toBe("revoke_all");
    fails(CAROL, '{"transfer_nft":{"recipient":"' + CAROL + '","token_id":"ft-2"}}', "Unauthorized");
    ok(ALICE, '{"revoke_all":{"operator":"' + BOB + '"}}');
    ok(ALICE, '{"revoke_all":{"operator":"' + MARKET + '"}}');
    expect<string>(q('{"all_operators":{"owner":"' + ALICE + '"}}')).toBe('{"operators":[]}');
  });
});

describe("send_nft", () => {
  it("moves the token to the contract and calls receive_nft with the previous owner", () => {
    fails(BOB, '{"send_nft":{"contract":"' + MARKET + '","token_id":"base","msg":"e30="}}', "Unauthorized");
    failsWith(ALICE, '{"send_nft":{"contract":"' + MARKET + '","token_id":"base","msg":"%%%"}}', "invalid base64");
    const r = ok(ALICE, '{"send_nft":{"contract":"' + MARKET + '","token_id":"base","msg":"eyJsaXN0Ijp7fX0="}}');
    expect<string>(attr(r, "action")).toBe("send_nft");
    expect<string>(attr(r, "sender")).toBe(ALICE);
    expect<string>(attr(r, "recipient")).toBe(MARKET);
    expect<i32>(r.messages.length).toBe(1);
    const m = json(r.messages[0].msg.json);
    const exe = m.get("wasm")!.get("execute")!;
    expect<string>(exe.get("contract_addr")!.text).toBe(MARKET);
    expect<string>(exe.get("funds")!.toString()).toBe("[]");
    const inner = fromUtf8(base64Decode(exe.get("msg")!.text)!);
    expect<string>(inner).toBe('{"receive_nft":{"sender":"' + ALICE + '","token_id":"base","msg":"eyJsaXN0Ijp7fX0="}}');
    expect<string>(q('{"owner_of":{"token_id":"base"}}')).toBe('{"owner":"' + MARKET + '","approvals":[]}');
  });
});

describe("burn", () => {
  it("only the owner/approved may burn; burned ids are never reused", () => {
    fails(ALICE, '{"burn":{"token_id":"ft-1"}}', "Unauthorized");
    fails(BOB, '{"burn":{"token_id":"nope"}}', "Token not found");
    const r = ok(BOB, '{"burn":{"token_id":"ft-1"}}');
    expect<string>(attr(r, "action")).toBe("burn");
    expect<string>(attr(r, "sender")).toBe(BOB);
    expect<string>(attr(r, "token_id")).toBe("ft-1");
    expect<string>(q('{"num_tokens":{}}')).toBe('{"count":3}');
    expect<string>(qErr('{"owner_of":{"token_id":"ft-1"}}')).toBe("Token not found");
    expect<string>(q('{"tokens":{"owner":"' + BOB + '"}}')).toBe('{"tokens":["a0"]}');
    expect<string>(q('{"children":{"token_id":"base"}}')).toBe('{"tokens":["ft-2"]}');
    expect<string>(q('{"models_by_creator":{"creator":"' + MINTER + '"}}')).toBe('{"tokens":["a0","base","ft-2"]}');
    expect<string>(q('{"all_tokens":{}}')).toBe('{"tokens":["a0","base","ft-2"]}');
    fails(MINTER, mintMsg("ft-1", BOB, manifest()), "token_id already claimed (burned ids are never reused)", usoa("100"));
    fails(MINTER, mintMsg("y", BOB, manifest(0, '["ft-1"]')), "Unknown parent: ft-1", usoa("100"));
  });
});

describe("update_ownership (cw-ownable)", () => {
  it("transfer → accept, with expiry; renounce closes minting", () => {
    fails(ALICE, '{"update_ownership":{"transfer_ownership":{"new_owner":"' + ALICE + '","expiry":null}}}', "Caller is not the contract's current owner");
    fails(ALICE, '{"update_ownership":"accept_ownership"}', "There isn't a pending ownership transfer");
    fails(MINTER, '{"update_ownership":{"transfer_ownership":{"new_owner":"' + ALICE + '","expiry":{"at_height":50}}}}', "The pending ownership transfer has expired");
    const r = ok(MINTER, '{"update_ownership":{"transfer_ownership":{"new_owner":"' + ALICE + '","expiry":{"at_height":110}}}}');
    expect<string>(attr(r, "owner")).toBe(MINTER);
    expect<string>(attr(r, "pending_owner")).toBe(ALICE);
    expect<string>(attr(r, "pending_expiry")).toBe("expiration height: 110");
    expect<string>(q('{"ownership":{}}')).toBe('{"owner":"' + MINTER + '","pending_owner":"' + ALICE + '","pending_expiry":{"at_height":110}}');
    fails(BOB, '{"update_ownership":"accept_ownership"}', "Caller is not the proposed new owner");
    height = 110;
    fails(ALICE, '{"update_ownership":"accept_ownership"}', "The pending ownership transfer has expired");
    height = 100;
    failsWith(ALICE, '{"update_ownership":"take_ownership"}', "unknown variant `take_ownership`");
    failsWith(ALICE, '{"update_ownership":{"accept_ownership":{}}}', "expected unit variant");
    const a = ok(ALICE, '{"update_ownership":"accept_ownership"}');
    expect<string>(attr(a, "owner")).toBe(ALICE);
    expect<string>(attr(a, "pending_owner")).toBe("none");
    expect<string>(q('{"minter":{}}')).toBe('{"minter":"' + ALICE + '"}');
    fails(MINTER, mintMsg("z", MINTER, manifest()), "Caller is not the contract's current owner", usoa("100"));
    ok(ALICE, mintMsg("z", BOB, manifest()), usoa("100"));
    expect<string>(q('{"models_by_creator":{"creator":"' + ALICE + '"}}')).toBe('{"tokens":["z"]}');
    fails(MINTER, '{"update_ownership":"renounce_ownership"}', "Caller is not the contract's current owner");
    ok(ALICE, '{"update_ownership":"renounce_ownership"}');
    expect<string>(q('{"ownership":{}}')).toBe('{"owner":null,"pending_owner":null,"pending_expiry":null}');
    expect<string>(q('{"minter":{}}')).toBe('{"minter":null}');
    fails(ALICE, mintMsg("w", ALICE, manifest()), "Contract ownership has been renounced", usoa("100"));
    fails(ALICE, '{"update_ownership":{"transfer_ownership":{"new_owner":"' + BOB + '"}}}', "Contract ownership has been renounced");
  });
});
