// Test helpers for the marketplace as-pect suite: the `mock` imports of ../as-pect.config.js and shortcuts
// that call the contract's handlers the way the entry points do (Env, MessageInfo, parsed JSON msg).
import {
  BankMsg,
  base64Encode,
  borrowRegion,
  Coin,
  Env,
  JsonValue,
  MessageInfo,
  parseJson,
  Response,
  Result,
  utf8,
  WasmMsg,
} from "../../sdk";
import { handleExecute, handleInstantiate, handleMigrate, handleQuery } from "../assembly/contract";

@external("mock", "reset")
declare function mock_reset(): void;
@external("mock", "set_owner")
declare function mock_set_owner(token: u32, owner: u32): void;
@external("mock", "remove_owner")
declare function mock_remove_owner(token: u32): void;
@external("mock", "approve")
declare function mock_approve(token: u32, spender: u32, expires: u32): void;
@external("mock", "revoke")
declare function mock_revoke(token: u32, spender: u32): void;
@external("mock", "approve_all")
declare function mock_approve_all(owner: u32, operator: u32, expires: u32): void;
@external("mock", "revoke_all")
declare function mock_revoke_all(owner: u32, operator: u32): void;
@external("mock", "set_block")
declare function mock_set_block(height: u64, time: u64): void;
@external("mock", "set_royalty_bps")
declare function mock_set_royalty_bps(token: u32, address: u32, bps: u32): void;
@external("mock", "set_royalty_amount")
declare function mock_set_royalty_amount(token: u32, address: u32, amount: u32): void;
@external("mock", "query_count")
declare function mock_query_count(): i32;
@external("mock", "store_size")
declare function mock_store_size(): i32;

function r(s: string): u32 {
  return <u32>borrowRegion(utf8(s));
}

export const NFT = "nft";
export const MARKET = "market";
export const ADMIN = "admin";
export const FEES = "fees";
export const CREATOR = "creator";
export const DENOM = "usoa";
/** Default block: height 100, time 1000 s. */
export const HEIGHT: u64 = 100;
export const TIME: u64 = 1_000_000_000_000;

export function reset(): void {
  mock_reset();
}
/**
 * The nft contract reports `owner` as the owner of `token` (and knows the token for royalty_info). A new
 * owner clears the token's approvals, as a cw721 transfer does.
 */
export function setOwner(token: string, owner: string): void {
  mock_set_owner(r(token), r(owner));
}
/** The token is burnt: owner_of and royalty_info answer "Token not found". */
export function removeOwner(token: string): void {
  mock_remove_owner(r(token));
}
/** cw721 approve: `spender` may transfer `token` until `expires` (Expiration JSON). */
export function approve(token: string, spender: string = MARKET, expires: string = '{"never":{}}'): void {
  mock_approve(r(token), r(spender), r(expires));
}
export function revoke(token: string, spender: string = MARKET): void {
  mock_revoke(r(token), r(spender));
}
/** cw721 approve_all: `operator` may transfer every token of `owner` until `expires`. */
export function approveAll(owner: string, operator: string = MARKET, expires: string = '{"never":{}}'): void {
  mock_approve_all(r(owner), r(operator), r(expires));
}
export function revokeAll(owner: string, operator: string = MARKET): void {
  mock_revoke_all(r(owner), r(operator));
}
export function setRoyaltyBps(token: string, address: string, bps: u32): void {
  mock_set_royalty_bps(r(token), r(address), bps);
}
/** royalty_info answers this amount whatever the sale price (to test the cap). */
export function setRoyaltyAmount(token: string, address: string, amount: string): void {
  mock_set_royalty_amount(r(token), r(address), r(amount));
}
export function queryCount(): i32 {
  return mock_query_count();
}
export function storeSize(): i32 {
  return mock_store_size();
}

export function env(height: u64 = HEIGHT, time: u64 = TIME): Env {
  const e = new Env();
  e.block.height = height;
  e.block.time = time;
  e.block.chain_id = "soa-test";
  e.contract_address = MARKET;
  return e;
}

export function info(sender: string, amount: string = "", denom: string = DENOM): MessageInfo {
  const i = new MessageInfo();
  i.sender = sender;
  if (amount.length > 0) i.funds = [new Coin(denom, amount)];
  return i;
}

export function json(s: string): JsonValue {
  const p = parseJson(s);
  if (p.value === null) throw new Error("bad test JSON: " + s);
  return p.value!;
}

export function instantiate(feeBps: u32 = 250, feeRecipient: string = '"fees"'): Result<Response> {
  return handleInstantiate(
    env(),
    info(ADMIN),
    json('{"nft_contract":"nft","denom":"usoa","fee_bps":' + feeBps.toString() + ',"fee_recipient":' + feeRecipient + "}"),
  );
}

/** The mocked nft contract judges expirations at the block of the call being made. */
function at(e: Env): Env {
  mock_set_block(e.block.height, e.block.time);
  return e;
}

export function exec(sender: string, msg: string, amount: string = "", e: Env = env()): Result<Response> {
  return handleExecute(at(e), info(sender, amount), json(msg));
}

export function execInfo(i: MessageInfo, msg: string, e: Env = env()): Result<Response> {
  return handleExecute(at(e), i, json(msg));
}

/** The nft contract (or `from`) calls receive_nft for `sender` with `hook` (JSON, sent base64), as send_nft would. */
export function receive(sender: string, tokenId: string, hook: string, from: string = NFT, e: Env = env()): Result<Response> {
  return handleExecute(
    at(e),
    info(from),
    json('{"receive_nft":{"sender":"' + sender + '","token_id":"' + tokenId + '","msg":"' + base64Encode(utf8(hook)) + '"}}'),
  );
}

/** execute list by `seller` (no setup: see `list`). */
export function listMsg(seller: string, tokenId: string, price: string, expires: string = "null", e: Env = env()): Result<Response> {
  return exec(seller, '{"list":{"token_id":"' + tokenId + '","price":"' + price + '","expires":' + expires + "}}", "", e);
}

/** `seller` owns `tokenId`, approves the marketplace for it (never expiring) and lists it at `price`. */
export function list(seller: string, tokenId: string, price: string, expires: string = "null"): Result<Response> {
  setOwner(tokenId, seller);
  approve(tokenId);
  return listMsg(seller, tokenId, price, expires);
}

export function query(msg: string, e: Env = env()): string {
  const res = handleQuery(at(e), json(msg));
  if (!res.isOk) return "ERROR: " + res.error!;
  return res.value!;
}

export function migrate(msg: string): Result<Response> {
  return handleMigrate(at(env()), json(msg));
}

/** The messages of a response, as their CosmosMsg JSON, joined by newlines. */
export function msgs(res: Result<Response>): string {
  if (!res.isOk) return "ERROR: " + res.error!;
  const out: string[] = [];
  const m = res.value!.messages;
  for (let i = 0; i < m.length; i++) {
    if (m[i].replyOn != 0) out.push("(reply_on)");
    out.push(m[i].msg.json);
  }
  return out.join("\n");
}

export function bank(to: string, amount: string): string {
  return BankMsg.send(to, [new Coin(DENOM, amount)]).json;
}

export function transfer(recipient: string, tokenId: string): string {
  return WasmMsg.execute(NFT, '{"transfer_nft":{"recipient":"' + recipient + '","token_id":"' + tokenId + '"}}').json;
}

export function lines(a: string[]): string {
  return a.join("\n");
}

/** The value of attribute `key` in a response ("" if absent). */
export function attr(res: Result<Response>, key: string): string {
  if (!res.isOk) return "ERROR: " + res.error!;
  const a = res.value!.attributes;
  for (let i = 0; i < a.length; i++) if (a[i].key == key) return a[i].value;
  return "";
}

/** The error text, or "ok". */
export function errorOf<T>(res: Result<T>): string {
  return res.isOk ? "ok" : res.error!;
}
