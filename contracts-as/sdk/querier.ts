// query_chain: QueryRequest JSON in, SystemResult<ContractResult<Binary>> JSON out (WASM-VM.md §2.4).
import { query_chain } from "./imports";
import { borrowRegion, readRegion } from "./memory";
import { JsonValue, JsonKind, parseJsonBytes, jsonString } from "./json";
import { base64Decode, base64Encode, utf8, fromUtf8 } from "./encoding";
import { Coin, Result } from "./types";

/**
 * Sends a raw QueryRequest (JSON text) and unwraps the envelopes: Ok = the inner response bytes
 * (usually JSON); Err = "Querier system error: …" or "Querier contract error: …" as cosmwasm-std words it.
 */
export function queryRaw(request: string): Result<Uint8Array> {
  const r = query_chain(<u32>borrowRegion(utf8(request)));
  const bytes = readRegion(<usize>r);
  const p = parseJsonBytes(bytes);
  const v = p.value;
  if (v === null || v.kind != JsonKind.Object || v.keys.length != 1) {
    return Result.err<Uint8Array>("Querier system error: invalid response: " + fromUtf8(bytes));
  }
  const sysErr = v.get("error");
  if (sysErr !== null) return Result.err<Uint8Array>("Querier system error: " + sysErr.toString());
  const ok = v.get("ok");
  if (ok === null || ok.kind != JsonKind.Object || ok.keys.length != 1) {
    return Result.err<Uint8Array>("Querier system error: invalid response: " + fromUtf8(bytes));
  }
  const cErr = ok.get("error");
  if (cErr !== null) {
    return Result.err<Uint8Array>("Querier contract error: " + (cErr.isString ? cErr.text : cErr.toString()));
  }
  const data = ok.get("ok");
  if (data === null || !data.isString) {
    return Result.err<Uint8Array>("Querier system error: invalid response: " + fromUtf8(bytes));
  }
  const decoded = base64Decode(data.text);
  if (decoded === null) return Result.err<Uint8Array>("Querier system error: invalid base64 in response");
  return Result.ok<Uint8Array>(decoded);
}

/** Like queryRaw, then parses the answer as JSON. */
export function queryJson(request: string): Result<JsonValue> {
  const r = queryRaw(request);
  if (!r.isOk) return Result.err<JsonValue>(r.error!);
  const p = parseJsonBytes(r.value!);
  if (p.value === null) return Result.err<JsonValue>("Error parsing query response: " + p.error!);
  return Result.ok<JsonValue>(p.value!);
}

/** {"bank":{"balance":{"address","denom"}}} → the Coin of {"amount":{"denom","amount"}}. */
export function queryBalance(address: string, denom: string): Result<Coin> {
  const r = queryJson(
    '{"bank":{"balance":{"address":' + jsonString(address) + ',"denom":' + jsonString(denom) + "}}}",
  );
  if (!r.isOk) return Result.err<Coin>(r.error!);
  const amount = r.value!.get("amount");
  const c: Coin | null = amount === null ? null : Coin.fromJson(amount);
  if (c === null) return Result.err<Coin>("Error parsing into type BalanceResponse");
  return Result.ok<Coin>(c);
}

/** {"wasm":{"smart":{"contract_addr","msg":<base64 of msgJson>}}} → the contract's answer bytes. */
export function querySmartRaw(contractAddr: string, msgJson: string): Result<Uint8Array> {
  return queryRaw(
    '{"wasm":{"smart":{"contract_addr":' + jsonString(contractAddr) + ',"msg":"' + base64Encode(utf8(msgJson)) + '"}}}',
  );
}

/** Smart query, answer parsed as JSON. */
export function querySmart(contractAddr: string, msgJson: string): Result<JsonValue> {
  const r = querySmartRaw(contractAddr, msgJson);
  if (!r.isOk) return Result.err<JsonValue>(r.error!);
  const p = parseJsonBytes(r.value!);
  if (p.value === null) return Result.err<JsonValue>("Error parsing query response: " + p.error!);
  return Result.ok<JsonValue>(p.value!);
}

/** {"wasm":{"raw":{"contract_addr","key"}}} → the stored bytes (empty if absent). */
export function queryWasmRaw(contractAddr: string, key: Uint8Array): Result<Uint8Array> {
  return queryRaw(
    '{"wasm":{"raw":{"contract_addr":' + jsonString(contractAddr) + ',"key":"' + base64Encode(key) + '"}}}',
  );
}
