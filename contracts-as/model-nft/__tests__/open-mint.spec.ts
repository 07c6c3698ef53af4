// Open minting (minter null), no mint fee, a custom royalty cap.
import { Env, MessageInfo, Coin, parseJson, JsonValue, Response, Result } from "../../sdk";
import { instantiateHandler, executeHandler, queryHandler } from "../assembly/contract";
export { allocate } from "../../sdk/exports";

const ALICE = "soa1a7ce00";
const BOB = "soa1d0d000";
const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

function env(): Env {
  const e = new Env();
  e.block.height = 7;
  e.block.time = 42;
  return e;
}

function info(sender: string, funds: Coin[] = []): MessageInfo {
  const i = new MessageInfo();
  i.sender = sender;
  i.funds = funds;
  return i;
}

function json(s: string): JsonValue {
  return parseJson(s).value!;
}

function exec(sender: string, msg: string, funds: Coin[] = []): Result<Response> {
  return executeHandler(env(), info(sender, funds), json(msg));
}

function q(msg: string): string {
  const r = queryHandler(env(), json(msg));
  expect<string | null>(r.error).toBe(null, msg);
  return r.value!;
}

function mint(id: string, owner: string, royalty: u32): string {
  return (
    '{"mint":{"token_id":"' + id + '","owner":"' + owner + '","token_uri":null,"extension":{"name":"m","version":"2","task":"","format":"gguf","weights_sha256":"' +
    SHA +
    '","engine":"llama.cpp","dtype":"q4","uri":"","parents":[],"verification":{"scheme":"TENSOR_TOL","tolerance":"0.5"},"royalty_bps":' +
    royalty.toString() +
    "}}}"
  );
}

describe("open minting", () => {
  it("instantiates without a minter or fee", () => {
    const r = instantiateHandler(env(), info(ALICE), json('{"name":"Open","symbol":"OPN","minter":null,"max_royalty_bps":1000}'));
    expect<string | null>(r.error).toBe(null);
    expect<string>(q('{"minter":{}}')).toBe('{"minter":null}');
    expect<string>(q('{"config":{}}')).toBe('{"open_minting":true,"mint_fee":null,"fee_recipient":null,"max_royalty_bps":1000}');
  });

  it("anyone mints a model they own, for free, within the custom cap", () => {
    const r = exec(BOB, mint("b1", BOB, 1000));
    expect<string | null>(r.error).toBe(null);
    expect<i32>(r.value!.messages.length).toBe(0);
    expect<string | null>(exec(BOB, mint("b2", ALICE, 0)).error).toBe("Open minting: the token owner must be the sender");
    expect<string | null>(exec(BOB, mint("b2", BOB, 1001)).error).toBe("Royalty above cap: 1001 bps > 1000 bps");
    expect<string | null>(exec(BOB, mint("b2", BOB, 0), [new Coin("usoa", "1")]).error).toBe("Wrong funds: expected nothing, got 1usoa");
    expect<string>(q('{"models_by_creator":{"creator":"' + BOB + '"}}')).toBe('{"tokens":["b1"]}');
    expect<string>(q('{"royalty_info":{"token_id":"b1","sale_price":"1000"}}')).toBe('{"address":"' + BOB + '","royalty_amount":"100"}');
  });

  it("ownership actions fail: nobody owns an open collection", () => {
    expect<string | null>(exec(ALICE, '{"update_ownership":"renounce_ownership"}').error).toBe("Contract ownership has been renounced");
  });
});
