// model-nft: a cw721 (v0.18) collection whose tokens are AI model versions. One token = one model
// version; its `extension` is the model's Manifest, fixed at mint (a new version is a new token).
// Message and storage shapes: contracts-as/model-nft/README.md.
//
// The handlers take parsed inputs so the as-pect tests can call them directly; index.ts wires them to
// the CosmWasm entry points.
import {
  addrValidate,
  BankMsg,
  Coin,
  Env,
  Fields,
  fromUtf8,
  Item,
  JsonKind,
  JsonValue,
  JsonWriter,
  jsonString,
  Map,
  MessageInfo,
  parseJsonBytes,
  parseU64,
  Response,
  Result,
  Uint128,
  utf8,
  variantOf,
  WasmMsg,
  base64Encode,
} from "../../sdk";
import { Expiration, ExpirationError, optExpiration, optExpirationField, optExpirationToJson } from "../../sdk/expiration";
import { setContractVersion } from "../../sdk/cw2";
import { bpsOf, BPS_DENOM, mustPayExactly } from "../../sdk/funds";
import { pageLimit } from "../../sdk/iter";

export const CONTRACT_NAME = "crates.io:soa-model-nft";
export const CONTRACT_VERSION = "0.1.0";

export const DEFAULT_MAX_ROYALTY_BPS: u32 = 2500;
export const MAX_PARENTS: i32 = 16;
export const MAX_TOKEN_ID_BYTES: i32 = 128;
export const MAX_FIELD_BYTES: i32 = 256;
export const MAX_URI_BYTES: i32 = 2048;

export const ERR_UNAUTHORIZED = "Unauthorized";
export const ERR_TOKEN_NOT_FOUND = "Token not found";
export const ERR_CLAIMED = "token_id already claimed";
export const ERR_IMMUTABLE = "Manifests are immutable; mint a new version";
export const ERR_EXPIRED = "Cannot set approval that is already expired";
export const ERR_APPROVAL_NOT_FOUND = "Approval not found";
// cw-ownable
export const ERR_NO_OWNER = "Contract ownership has been renounced";
export const ERR_NOT_OWNER = "Caller is not the contract's current owner";
export const ERR_TRANSFER_NOT_FOUND = "There isn't a pending ownership transfer";
export const ERR_NOT_PENDING_OWNER = "Caller is not the proposed new owner";
export const ERR_TRANSFER_EXPIRED = "The pending ownership transfer has expired";

// ------------------------------------------------------------------------------------------------
// Storage (cw721-base v0.18 / cw-ownable / cw2 key names, plus our indexes)

/** {"name","symbol"} (cw721-base `contract_info`, key "nft_info"). */
const COLLECTION = new Item("nft_info");
/** u64 (cw721-base `token_count`). */
const TOKEN_COUNT = new Item("num_tokens");
/** cw-ownable {"owner","pending_owner","pending_expiry"}: the minter in restricted mode. */
const OWNERSHIP = new Item("ownership");
/** {"open_minting","mint_fee","fee_recipient","max_royalty_bps"}. */
const CONFIG = new Item("model_config");
/** token_id → TokenInfo {"owner","approvals","token_uri","extension"} (cw721-base IndexedMap "tokens"). */
const TOKENS = new Map("tokens");
/** (owner, token_id) → len(token_id) (cw-storage-plus MultiIndex "tokens__owner"). */
const BY_OWNER = new Map("tokens__owner");
/** (creator, token_id) → len(token_id): models_by_creator. */
const BY_CREATOR = new Map("tokens__creator");
/** (parent token_id, child token_id) → len(child): children (fine-tunes / derivatives). */
const BY_PARENT = new Map("tokens__parent");
/** (owner, operator) → Expiration (cw721-base "operators"). */
const OPERATORS = new Map("operators");
/** token_id → true: burned ids are never minted again (a manifest's parents stay unambiguous). */
const BURNED = new Map("burned_tokens");

// ------------------------------------------------------------------------------------------------
// Helpers

function err<T>(msg: string): Result<T> {
  return Result.err<T>(msg);
}

function optBool(f: Fields, key: string, dflt: bool): bool {
  const v = f.opt(key);
  if (v === null) return dflt;
  if (v.kind != JsonKind.Bool) {
    f.fail("invalid type: " + v.describe() + ", expected a boolean");
    return dflt;
  }
  return v.text == "true";
}

/** Option<u32>: absent/null → -1. */
function optU32(f: Fields, key: string): i64 {
  if (f.opt(key) === null) return -1;
  return <i64>f.u32(key);
}

function validateAddr(addr: string, what: string): string | null {
  const e = addrValidate(addr);
  if (e === null) return null;
  return "Invalid " + what + " address '" + addr + "': " + e;
}

function byteLen(s: string): i32 {
  return String.UTF8.byteLength(s);
}

function checkText(value: string, field: string, maxBytes: i32, required: bool): string | null {
  if (required && value.length == 0) return "Invalid manifest: `" + field + "` must not be empty";
  if (byteLen(value) > maxBytes) return "Invalid manifest: `" + field + "` longer than " + maxBytes.toString() + " bytes";
  return null;
}

function isLowerHex64(s: string): bool {
  if (s.length != 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** cosmwasm Decimal text: digits, optionally "." and 1..18 digits. Returns whether it is zero, or -1. */
function decimalIsZero(s: string): i32 {
  const dot = s.indexOf(".");
  const whole = dot < 0 ? s : s.substring(0, dot);
  const frac = dot < 0 ? "" : s.substring(dot + 1);
  if (whole.length == 0 || whole.length > 21) return -1;
  if (dot >= 0 && (frac.length == 0 || frac.length > 18)) return -1;
  let zero = true;
  for (let i = 0; i < whole.length; i++) {
    const c = whole.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    if (c != 0x30) zero = false;
  }
  for (let i = 0; i < frac.length; i++) {
    const c = frac.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    if (c != 0x30) zero = false;
  }
  return zero ? 1 : 0;
}

const SCHEMES = ["TOPLOC", "TOPK_LOGPROB", "TENSOR_TOL", "EXACT"];

// ------------------------------------------------------------------------------------------------
// Config and ownership

export class Config {
  openMinting: bool = false;
  mintFee: Coin | null = null;
  feeRecipient: string | null = null;
  maxRoyaltyBps: u32 = DEFAULT_MAX_ROYALTY_BPS;

  toJson(): string {
    const fee = this.mintFee;
    return new JsonWriter()
      .beginObject()
      .fieldBool("open_minting", this.openMinting)
      .fieldRaw("mint_fee", fee === null ? "null" : fee.toJson())
      .fieldStringOrNull("fee_recipient", this.feeRecipient)
      .fieldU64("max_royalty_bps", <u64>this.maxRoyaltyBps)
      .endObject()
      .toString();
  }

  static load(): Config {
    const v = CONFIG.loadJson();
    const c = new Config();
    if (v === null) return c;
    c.openMinting = v.get("open_minting")!.text == "true";
    const fee = v.get("mint_fee")!;
    if (!fee.isNull) c.mintFee = Coin.fromJson(fee);
    const rcpt = v.get("fee_recipient")!;
    if (!rcpt.isNull) c.feeRecipient = rcpt.text;
    c.maxRoyaltyBps = <u32>parseU64(v.get("max_royalty_bps")!.text).value;
    return c;
  }
}

export class Ownership {
  owner: string | null = null;
  pendingOwner: string | null = null;
  pendingExpiry: Expiration | null = null;

  toJson(): string {
    return new JsonWriter()
      .beginObject()
      .fieldStringOrNull("owner", this.owner)
      .fieldStringOrNull("pending_owner", this.pendingOwner)
      .fieldRaw("pending_expiry", optExpirationToJson(this.pendingExpiry))
      .endObject()
      .toString();
  }

  static load(): Ownership {
    const o = new Ownership();
    const v = OWNERSHIP.loadJson();
    if (v === null) return o;
    const owner = v.get("owner");
    if (owner !== null && owner.isString) o.owner = owner.text;
    const pending = v.get("pending_owner");
    if (pending !== null && pending.isString) o.pendingOwner = pending.text;
    const exp = v.get("pending_expiry");
    if (exp !== null && !exp.isNull) o.pendingExpiry = Expiration.fromJson(exp, new ExpirationError());
    return o;
  }

  save(): void {
    OWNERSHIP.saveJson(this.toJson());
  }

  /** cw-ownable `assert_owner`. */
  assertOwner(sender: string): string | null {
    const owner = this.owner;
    if (owner === null) return ERR_NO_OWNER;
    if (owner != sender) return ERR_NOT_OWNER;
    return null;
  }

  /** cw-ownable `into_attributes`. */
  addAttributes(r: Response): Response {
    const owner = this.owner;
    const pending = this.pendingOwner;
    const exp = this.pendingExpiry;
    return r
      .addAttribute("owner", owner === null ? "none" : owner)
      .addAttribute("pending_owner", pending === null ? "none" : pending)
      .addAttribute("pending_expiry", exp === null ? "none" : exp.toString());
  }
}

// ------------------------------------------------------------------------------------------------
// Tokens

export class Approval {
  constructor(
    public spender: string,
    public expires: Expiration,
  ) {}
  toJson(): string {
    return '{"spender":' + jsonString(this.spender) + ',"expires":' + this.expires.toJson() + "}";
  }
}

export class TokenInfo {
  owner: string = "";
  approvals: Approval[] = [];
  tokenUri: string | null = null;
  /** The Manifest (JSON object). */
  extension: JsonValue = JsonValue.null();

  toJson(): string {
    const w = new JsonWriter().beginObject();
    w.fieldString("owner", this.owner);
    w.key("approvals").raw(approvalsJson(this.approvals, null, true));
    w.fieldStringOrNull("token_uri", this.tokenUri);
    w.key("extension").raw(this.extension.toString());
    return w.endObject().toString();
  }

  /** The Manifest's creator. */
  get creator(): string {
    return this.extension.get("creator")!.text;
  }
  get royaltyBps(): u32 {
    return <u32>parseU64(this.extension.get("royalty_bps")!.text).value;
  }
  get parents(): string[] {
    const out: string[] = [];
    const p = this.extension.get("parents")!;
    for (let i = 0; i < p.items.length; i++) out.push(p.items[i].text);
    return out;
  }

  static load(tokenId: string): TokenInfo | null {
    const v = TOKENS.at(tokenId).loadJson();
    if (v === null) return null;
    const t = new TokenInfo();
    t.owner = v.get("owner")!.text;
    const approvals = v.get("approvals")!.items;
    for (let i = 0; i < approvals.length; i++) {
      const a = approvals[i];
      t.approvals.push(new Approval(a.get("spender")!.text, Expiration.fromJson(a.get("expires")!, new ExpirationError())!));
    }
    const uri = v.get("token_uri")!;
    if (!uri.isNull) t.tokenUri = uri.text;
    t.extension = v.get("extension")!;
    return t;
  }

  save(tokenId: string): void {
    TOKENS.at(tokenId).saveJson(this.toJson());
  }
}

/** `[{"spender","expires"}…]`, without expired entries unless includeExpired (env may be null = all). */
function approvalsJson(list: Approval[], env: Env | null, includeExpired: bool): string {
  const parts: string[] = [];
  for (let i = 0; i < list.length; i++) {
    if (!includeExpired && env !== null && list[i].expires.isExpired(env.block)) continue;
    parts.push(list[i].toJson());
  }
  return "[" + parts.join(",") + "]";
}

/** The value a cw-storage-plus MultiIndex stores: the primary key's length as a JSON number. */
function pkLen(tokenId: string): string {
  return byteLen(tokenId).toString();
}

function indexAdd(index: Map, first: string, tokenId: string): void {
  index.atParts([utf8(first), utf8(tokenId)]).saveJson(pkLen(tokenId));
}

function indexRemove(index: Map, first: string, tokenId: string): void {
  index.atParts([utf8(first), utf8(tokenId)]).remove();
}

function operatorExpiration(owner: string, operator: string): Expiration | null {
  const v = OPERATORS.atParts([utf8(owner), utf8(operator)]).loadJson();
  if (v === null) return null;
  return Expiration.fromJson(v, new ExpirationError());
}

function isOperator(env: Env, owner: string, operator: string): bool {
  const e = operatorExpiration(owner, operator);
  return e !== null && !e.isExpired(env.block);
}

/** cw721 `check_can_send`: the owner, an unexpired approved spender, or an unexpired operator. */
function canSend(env: Env, sender: string, token: TokenInfo): bool {
  if (token.owner == sender) return true;
  for (let i = 0; i < token.approvals.length; i++) {
    const a = token.approvals[i];
    if (a.spender == sender && !a.expires.isExpired(env.block)) return true;
  }
  return isOperator(env, token.owner, sender);
}

/** cw721 `check_can_approve`: the owner or an unexpired operator. */
function canApprove(env: Env, sender: string, token: TokenInfo): bool {
  return token.owner == sender || isOperator(env, token.owner, sender);
}

// ------------------------------------------------------------------------------------------------
// Instantiate

export function instantiateHandler(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = new Fields(msg, "InstantiateMsg");
  const name = f.string("name");
  const symbol = f.string("symbol");
  const minter = f.optString("minter");
  const feeV = f.opt("mint_fee");
  const feeRecipient = f.optString("fee_recipient");
  const maxRoyalty = optU32(f, "max_royalty_bps");
  let fee: Coin | null = null;
  if (feeV !== null && f.ok) {
    fee = Coin.fromJson(feeV);
    if (fee === null) f.fail("invalid type: " + feeV.describe() + ", expected struct Coin (field `mint_fee`)");
  }
  const e = f.done();
  if (e !== null) return err<Response>(e);

  const paid = mustPayExactly(info, "", Uint128.zero());
  if (paid !== null) return err<Response>("This contract does not accept funds at instantiation");
  if (name.length == 0) return err<Response>("Collection name must not be empty");
  if (symbol.length == 0) return err<Response>("Collection symbol must not be empty");
  if (minter !== null) {
    const ae = validateAddr(minter, "minter");
    if (ae !== null) return err<Response>(ae);
  }
  if (feeRecipient !== null) {
    const ae = validateAddr(feeRecipient, "fee_recipient");
    if (ae !== null) return err<Response>(ae);
  }
  if (fee !== null) {
    if (fee.denom.length == 0) return err<Response>("mint_fee denom must not be empty");
    if (Uint128.parse(fee.amount)!.isZero()) return err<Response>("mint_fee amount must be positive (use null for free minting)");
    if (feeRecipient === null) return err<Response>("fee_recipient is required when mint_fee is set");
  }
  if (maxRoyalty > <i64>BPS_DENOM) return err<Response>("max_royalty_bps must be at most 10000");

  const cfg = new Config();
  cfg.openMinting = minter === null;
  cfg.mintFee = fee;
  cfg.feeRecipient = feeRecipient;
  cfg.maxRoyaltyBps = maxRoyalty < 0 ? DEFAULT_MAX_ROYALTY_BPS : <u32>maxRoyalty;
  CONFIG.saveJson(cfg.toJson());
  COLLECTION.saveJson(new JsonWriter().beginObject().fieldString("name", name).fieldString("symbol", symbol).endObject().toString());
  const own = new Ownership();
  own.owner = minter;
  own.save();
  setContractVersion(CONTRACT_NAME, CONTRACT_VERSION);

  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "instantiate")
      .addAttribute("name", name)
      .addAttribute("symbol", symbol)
      .addAttribute("minter", minter === null ? "open" : minter)
      .addAttribute("max_royalty_bps", cfg.maxRoyaltyBps.toString()),
  );
}

// ------------------------------------------------------------------------------------------------
// Execute

const EXECUTE_VARIANTS =
  "`transfer_nft`, `send_nft`, `approve`, `revoke`, `approve_all`, `revoke_all`, `mint`, `burn`, `update_ownership`";

export function executeHandler(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  if (v === null) return err<Response>("Error parsing into type ExecuteMsg: expected an enum variant");
  // A manifest never changes: cw721's extension hook and v0.19's metadata updates are refused outright.
  if (v == "extension" || v == "update_nft_info" || v == "update_extension" || v == "update_manifest") {
    return err<Response>(ERR_IMMUTABLE);
  }
  const body = msg.kind == JsonKind.Object ? msg.get(v) : null;
  if (v == "update_ownership") return executeUpdateOwnership(env, info, body);
  if (body === null) return err<Response>("Error parsing into type ExecuteMsg: invalid type: unit variant, expected struct variant");
  if (v == "mint") return executeMint(env, info, body);
  const paid = mustPayExactly(info, "", Uint128.zero());
  if (paid !== null) return err<Response>("This message does not accept funds");
  if (v == "transfer_nft") return executeTransfer(env, info, body);
  if (v == "send_nft") return executeSend(env, info, body);
  if (v == "approve") return executeApprove(env, info, body);
  if (v == "revoke") return executeRevoke(env, info, body);
  if (v == "approve_all") return executeApproveAll(env, info, body);
  if (v == "revoke_all") return executeRevokeAll(env, info, body);
  if (v == "burn") return executeBurn(env, info, body);
  return err<Response>("Error parsing into type ExecuteMsg: unknown variant `" + v + "`, expected one of " + EXECUTE_VARIANTS);
}

/** Moves a token to `recipient` (index update, approvals cleared). */
function moveToken(tokenId: string, token: TokenInfo, recipient: string): void {
  if (token.owner != recipient) {
    indexRemove(BY_OWNER, token.owner, tokenId);
    indexAdd(BY_OWNER, recipient, tokenId);
  }
  token.owner = recipient;
  token.approvals = [];
  token.save(tokenId);
}

function executeTransfer(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::TransferNft");
  const recipient = f.string("recipient");
  const tokenId = f.string("token_id");
  const e = f.done();
  if (e !== null) return err<Response>(e);
  const ae = validateAddr(recipient, "recipient");
  if (ae !== null) return err<Response>(ae);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<Response>(ERR_TOKEN_NOT_FOUND);
  if (!canSend(env, info.sender, token)) return err<Response>(ERR_UNAUTHORIZED);
  moveToken(tokenId, token, recipient);
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "transfer_nft")
      .addAttribute("sender", info.sender)
      .addAttribute("recipient", recipient)
      .addAttribute("token_id", tokenId),
  );
}

function executeSend(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::SendNft");
  const contract = f.string("contract");
  const tokenId = f.string("token_id");
  const inner = f.binary("msg");
  const e = f.done();
  if (e !== null) return err<Response>(e);
  const ae = validateAddr(contract, "contract");
  if (ae !== null) return err<Response>(ae);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<Response>(ERR_TOKEN_NOT_FOUND);
  if (!canSend(env, info.sender, token)) return err<Response>(ERR_UNAUTHORIZED);
  const previousOwner = token.owner;
  moveToken(tokenId, token, contract);
  // Cw721ReceiveMsg. `sender` is the previous owner (the seller, who gets any proceeds), which is
  // info.sender whenever the owner sends it; cw721-base puts info.sender there even for operators.
  const receive =
    '{"receive_nft":{"sender":' +
    jsonString(previousOwner) +
    ',"token_id":' +
    jsonString(tokenId) +
    ',"msg":"' +
    base64Encode(inner) +
    '"}}';
  return Result.ok<Response>(
    new Response()
      .addMessage(WasmMsg.execute(contract, receive))
      .addAttribute("action", "send_nft")
      .addAttribute("sender", info.sender)
      .addAttribute("recipient", contract)
      .addAttribute("token_id", tokenId),
  );
}

function executeApprove(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::Approve");
  const spender = f.string("spender");
  const tokenId = f.string("token_id");
  const expires = optExpiration(f, "expires");
  const e = f.done();
  if (e !== null) return err<Response>(e);
  const ae = validateAddr(spender, "spender");
  if (ae !== null) return err<Response>(ae);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<Response>(ERR_TOKEN_NOT_FOUND);
  if (!canApprove(env, info.sender, token)) return err<Response>(ERR_UNAUTHORIZED);
  if (expires.isExpired(env.block)) return err<Response>(ERR_EXPIRED);
  const kept: Approval[] = [];
  for (let i = 0; i < token.approvals.length; i++) {
    if (token.approvals[i].spender != spender) kept.push(token.approvals[i]);
  }
  kept.push(new Approval(spender, expires));
  token.approvals = kept;
  token.save(tokenId);
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "approve")
      .addAttribute("sender", info.sender)
      .addAttribute("spender", spender)
      .addAttribute("token_id", tokenId),
  );
}

function executeRevoke(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::Revoke");
  const spender = f.string("spender");
  const tokenId = f.string("token_id");
  const e = f.done();
  if (e !== null) return err<Response>(e);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<Response>(ERR_TOKEN_NOT_FOUND);
  if (!canApprove(env, info.sender, token)) return err<Response>(ERR_UNAUTHORIZED);
  const kept: Approval[] = [];
  for (let i = 0; i < token.approvals.length; i++) {
    if (token.approvals[i].spender != spender) kept.push(token.approvals[i]);
  }
  token.approvals = kept;
  token.save(tokenId);
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "revoke")
      .addAttribute("sender", info.sender)
      .addAttribute("spender", spender)
      .addAttribute("token_id", tokenId),
  );
}

function executeApproveAll(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::ApproveAll");
  const operator = f.string("operator");
  const expires = optExpiration(f, "expires");
  const e = f.done();
  if (e !== null) return err<Response>(e);
  const ae = validateAddr(operator, "operator");
  if (ae !== null) return err<Response>(ae);
  if (expires.isExpired(env.block)) return err<Response>(ERR_EXPIRED);
  OPERATORS.atParts([utf8(info.sender), utf8(operator)]).saveJson(expires.toJson());
  return Result.ok<Response>(
    new Response().addAttribute("action", "approve_all").addAttribute("sender", info.sender).addAttribute("operator", operator),
  );
}

function executeRevokeAll(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::RevokeAll");
  const operator = f.string("operator");
  const e = f.done();
  if (e !== null) return err<Response>(e);
  OPERATORS.atParts([utf8(info.sender), utf8(operator)]).remove();
  return Result.ok<Response>(
    new Response().addAttribute("action", "revoke_all").addAttribute("sender", info.sender).addAttribute("operator", operator),
  );
}

function executeBurn(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::Burn");
  const tokenId = f.string("token_id");
  const e = f.done();
  if (e !== null) return err<Response>(e);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<Response>(ERR_TOKEN_NOT_FOUND);
  if (!canSend(env, info.sender, token)) return err<Response>(ERR_UNAUTHORIZED);
  TOKENS.at(tokenId).remove();
  indexRemove(BY_OWNER, token.owner, tokenId);
  indexRemove(BY_CREATOR, token.creator, tokenId);
  const parents = token.parents;
  for (let i = 0; i < parents.length; i++) indexRemove(BY_PARENT, parents[i], tokenId);
  BURNED.at(tokenId).saveJson("true");
  TOKEN_COUNT.saveU64(TOKEN_COUNT.loadU64(0) - 1);
  return Result.ok<Response>(
    new Response().addAttribute("action", "burn").addAttribute("sender", info.sender).addAttribute("token_id", tokenId),
  );
}

/** Reads and validates a ManifestInput; returns the stored Manifest JSON or an error (isOk=false). */
function readManifest(env: Env, info: MessageInfo, tokenId: string, ext: JsonValue, cfg: Config): Result<string> {
  const f = new Fields(ext, "ManifestInput");
  const name = f.string("name");
  const version = f.string("version");
  const task = f.string("task");
  const format = f.string("format");
  const sha = f.string("weights_sha256");
  const engine = f.string("engine");
  const dtype = f.string("dtype");
  const uri = f.string("uri");
  const parentsV = f.array("parents");
  const verV = f.object("verification");
  const royalty = f.u32("royalty_bps");
  let scheme = "";
  let tolerance = "";
  if (f.ok) {
    const vf = new Fields(verV, "Verification");
    scheme = vf.string("scheme");
    tolerance = vf.string("tolerance");
    const ve = vf.done();
    if (ve !== null) f.fail(ve);
  }
  const parents: string[] = [];
  for (let i = 0; i < parentsV.length && f.ok; i++) {
    if (parentsV[i].kind != JsonKind.String) f.fail("invalid type: " + parentsV[i].describe() + ", expected a string (field `parents`)");
    else parents.push(parentsV[i].text);
  }
  const e = f.done();
  if (e !== null) return err<string>(e);

  let te = checkText(name, "name", MAX_FIELD_BYTES, true);
  if (te === null) te = checkText(version, "version", MAX_FIELD_BYTES, true);
  if (te === null) te = checkText(task, "task", MAX_FIELD_BYTES, false);
  if (te === null) te = checkText(format, "format", MAX_FIELD_BYTES, false);
  if (te === null) te = checkText(engine, "engine", MAX_FIELD_BYTES, false);
  if (te === null) te = checkText(dtype, "dtype", MAX_FIELD_BYTES, false);
  if (te === null) te = checkText(uri, "uri", MAX_URI_BYTES, false);
  if (te !== null) return err<string>(te);
  if (!isLowerHex64(sha)) return err<string>("Invalid manifest: `weights_sha256` must be 64 lowercase hex characters");
  if (!SCHEMES.includes(scheme)) {
    return err<string>("Invalid manifest: verification scheme must be one of TOPLOC, TOPK_LOGPROB, TENSOR_TOL, EXACT");
  }
  const zero = decimalIsZero(tolerance);
  if (zero < 0) return err<string>("Invalid manifest: verification tolerance must be a decimal string like \"0.01\"");
  if (scheme == "EXACT" && zero != 1) return err<string>("Invalid manifest: EXACT verification requires tolerance 0");
  if (royalty > cfg.maxRoyaltyBps) {
    return err<string>("Royalty above cap: " + royalty.toString() + " bps > " + cfg.maxRoyaltyBps.toString() + " bps");
  }
  if (parents.length > MAX_PARENTS) return err<string>("Invalid manifest: at most " + MAX_PARENTS.toString() + " parents");
  for (let i = 0; i < parents.length; i++) {
    const p = parents[i];
    if (p == tokenId) return err<string>("Invalid manifest: a model cannot be its own parent");
    for (let j = 0; j < i; j++) if (parents[j] == p) return err<string>("Invalid manifest: duplicate parent " + p);
    if (!TOKENS.at(p).exists()) return err<string>("Unknown parent: " + p);
  }

  const w = new JsonWriter().beginObject();
  w.fieldString("name", name).fieldString("version", version).fieldString("task", task).fieldString("format", format);
  w.fieldString("weights_sha256", sha).fieldString("engine", engine).fieldString("dtype", dtype).fieldString("uri", uri);
  w.key("parents").beginArray();
  for (let i = 0; i < parents.length; i++) w.elem().string(parents[i]);
  w.endArray();
  w.key("verification").beginObject().fieldString("scheme", scheme).fieldString("tolerance", tolerance).endObject();
  w.fieldU64("royalty_bps", <u64>royalty);
  w.fieldString("creator", info.sender);
  w.fieldString("created_at", env.block.time.toString());
  return Result.ok<string>(w.endObject().toString());
}

function executeMint(env: Env, info: MessageInfo, body: JsonValue): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::Mint");
  const tokenId = f.string("token_id");
  const owner = f.string("owner");
  const tokenUri = f.optString("token_uri");
  const ext = f.value("extension");
  const e = f.done();
  if (e !== null) return err<Response>(e);

  const cfg = Config.load();
  if (cfg.openMinting) {
    if (owner != info.sender) return err<Response>("Open minting: the token owner must be the sender");
  } else {
    const oe = Ownership.load().assertOwner(info.sender);
    if (oe !== null) return err<Response>(oe);
  }
  const fee = cfg.mintFee;
  const paid = fee === null ? mustPayExactly(info, "", Uint128.zero()) : mustPayExactly(info, fee.denom, Uint128.parse(fee.amount)!);
  if (paid !== null) return err<Response>(paid);

  if (tokenId.length == 0) return err<Response>("token_id must not be empty");
  if (byteLen(tokenId) > MAX_TOKEN_ID_BYTES) return err<Response>("token_id longer than " + MAX_TOKEN_ID_BYTES.toString() + " bytes");
  if (TOKENS.at(tokenId).exists()) return err<Response>(ERR_CLAIMED);
  if (BURNED.at(tokenId).exists()) return err<Response>(ERR_CLAIMED + " (burned ids are never reused)");
  const ae = validateAddr(owner, "owner");
  if (ae !== null) return err<Response>(ae);
  if (tokenUri !== null && byteLen(tokenUri) > MAX_URI_BYTES) {
    return err<Response>("token_uri longer than " + MAX_URI_BYTES.toString() + " bytes");
  }
  if (ext.kind != JsonKind.Object) return err<Response>("Error parsing into type ExecuteMsg::Mint: `extension` must be a ManifestInput object");
  const manifest = readManifest(env, info, tokenId, ext, cfg);
  if (!manifest.isOk) return err<Response>(manifest.error!);

  const json =
    '{"owner":' +
    jsonString(owner) +
    ',"approvals":[],"token_uri":' +
    (tokenUri === null ? "null" : jsonString(tokenUri)) +
    ',"extension":' +
    manifest.value! +
    "}";
  TOKENS.at(tokenId).saveJson(json);
  indexAdd(BY_OWNER, owner, tokenId);
  indexAdd(BY_CREATOR, info.sender, tokenId);
  const parentsV = ext.get("parents")!.items;
  for (let i = 0; i < parentsV.length; i++) indexAdd(BY_PARENT, parentsV[i].text, tokenId);
  TOKEN_COUNT.saveU64(TOKEN_COUNT.loadU64(0) + 1);

  const res = new Response()
    .addAttribute("action", "mint")
    .addAttribute("minter", info.sender)
    .addAttribute("owner", owner)
    .addAttribute("token_id", tokenId);
  if (fee !== null) {
    res.addMessage(BankMsg.send(cfg.feeRecipient!, [fee]));
    res.addAttribute("mint_fee", fee.amount + fee.denom);
  }
  return Result.ok<Response>(res);
}

function executeUpdateOwnership(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const paid = mustPayExactly(info, "", Uint128.zero());
  if (paid !== null) return err<Response>("This message does not accept funds");
  // cw-ownable Action: {"transfer_ownership":{"new_owner","expiry"}} | "accept_ownership" | "renounce_ownership"
  let action: string | null = null;
  let inner: JsonValue | null = null;
  if (body !== null && body.kind == JsonKind.String) action = body.text;
  else if (body !== null && body.kind == JsonKind.Object && body.keys.length == 1) {
    action = body.keys[0];
    inner = body.items[0];
  }
  if (action === null) return err<Response>("Error parsing into type cw_ownable::Action: expected an enum variant");
  const own = Ownership.load();
  if (action == "transfer_ownership") {
    const f = new Fields(inner, "cw_ownable::Action::TransferOwnership");
    const newOwner = f.string("new_owner");
    const expiry = optExpirationField(f, "expiry");
    const e = f.done();
    if (e !== null) return err<Response>(e);
    const oe = own.assertOwner(info.sender);
    if (oe !== null) return err<Response>(oe);
    const ae = validateAddr(newOwner, "new_owner");
    if (ae !== null) return err<Response>(ae);
    if (expiry !== null && expiry.isExpired(env.block)) return err<Response>(ERR_TRANSFER_EXPIRED);
    own.pendingOwner = newOwner;
    own.pendingExpiry = expiry;
  } else if (action == "accept_ownership" || action == "renounce_ownership") {
    if (inner !== null && !inner.isNull) {
      return err<Response>("Error parsing into type cw_ownable::Action: invalid type: " + inner.describe() + ", expected unit variant");
    }
    if (action == "accept_ownership") {
      const pending = own.pendingOwner;
      if (pending === null) return err<Response>(ERR_TRANSFER_NOT_FOUND);
      if (pending != info.sender) return err<Response>(ERR_NOT_PENDING_OWNER);
      const exp = own.pendingExpiry;
      if (exp !== null && exp.isExpired(env.block)) return err<Response>(ERR_TRANSFER_EXPIRED);
      own.owner = pending;
    } else {
      const oe = own.assertOwner(info.sender);
      if (oe !== null) return err<Response>(oe);
      own.owner = null;
    }
    own.pendingOwner = null;
    own.pendingExpiry = null;
  } else {
    return err<Response>(
      "Error parsing into type cw_ownable::Action: unknown variant `" +
        action +
        "`, expected one of `transfer_ownership`, `accept_ownership`, `renounce_ownership`",
    );
  }
  own.save();
  return Result.ok<Response>(own.addAttributes(new Response().addAttribute("action", "update_ownership")));
}

// ------------------------------------------------------------------------------------------------
// Query

const QUERY_VARIANTS =
  "`owner_of`, `approval`, `approvals`, `operator`, `all_operators`, `num_tokens`, `contract_info`, `nft_info`, " +
  "`all_nft_info`, `tokens`, `all_tokens`, `minter`, `ownership`, `royalty_info`, `check_royalties`, " +
  "`models_by_creator`, `children`, `config`, `extension`";

export function queryHandler(env: Env, msg: JsonValue): Result<string> {
  const v = variantOf(msg);
  if (v === null || msg.kind != JsonKind.Object) return err<string>("Error parsing into type QueryMsg: expected an enum variant");
  const body = msg.get(v)!;
  if (v == "owner_of") return queryOwnerOf(env, body);
  if (v == "approval") return queryApproval(env, body);
  if (v == "approvals") return queryApprovals(env, body);
  if (v == "operator") return queryOperator(env, body);
  if (v == "all_operators") return queryAllOperators(env, body);
  if (v == "num_tokens") return queryNumTokens(body);
  if (v == "contract_info") return queryContractInfo(body);
  if (v == "nft_info") return queryNftInfo(body);
  if (v == "all_nft_info") return queryAllNftInfo(env, body);
  if (v == "tokens") return queryTokens(body);
  if (v == "all_tokens") return queryAllTokens(body);
  if (v == "minter") return queryMinter(body);
  if (v == "ownership") return queryOwnership(body);
  if (v == "royalty_info") return queryRoyaltyInfo(body);
  if (v == "check_royalties") return queryCheckRoyalties(body);
  if (v == "models_by_creator") return queryModelsByCreator(body);
  if (v == "children") return queryChildren(body);
  if (v == "config") return queryConfig(body);
  if (v == "extension") return queryExtension(env, body);
  return err<string>("Error parsing into type QueryMsg: unknown variant `" + v + "`, expected one of " + QUERY_VARIANTS);
}

function noFields(body: JsonValue, what: string): string | null {
  return new Fields(body, what).done();
}

function accessJson(env: Env, token: TokenInfo, includeExpired: bool): string {
  return '{"owner":' + jsonString(token.owner) + ',"approvals":' + approvalsJson(token.approvals, env, includeExpired) + "}";
}

function infoJson(token: TokenInfo): string {
  const uri = token.tokenUri;
  return '{"token_uri":' + (uri === null ? "null" : jsonString(uri)) + ',"extension":' + token.extension.toString() + "}";
}

function queryOwnerOf(env: Env, body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::OwnerOf");
  const tokenId = f.string("token_id");
  const includeExpired = optBool(f, "include_expired", false);
  const e = f.done();
  if (e !== null) return err<string>(e);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<string>(ERR_TOKEN_NOT_FOUND);
  return Result.ok<string>(accessJson(env, token, includeExpired));
}

function queryApproval(env: Env, body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::Approval");
  const tokenId = f.string("token_id");
  const spender = f.string("spender");
  const includeExpired = optBool(f, "include_expired", false);
  const e = f.done();
  if (e !== null) return err<string>(e);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<string>(ERR_TOKEN_NOT_FOUND);
  // cw721-base: the owner is always approved, forever.
  if (token.owner == spender) return Result.ok<string>('{"approval":' + new Approval(spender, Expiration.never()).toJson() + "}");
  for (let i = 0; i < token.approvals.length; i++) {
    const a = token.approvals[i];
    if (a.spender != spender) continue;
    if (!includeExpired && a.expires.isExpired(env.block)) break;
    return Result.ok<string>('{"approval":' + a.toJson() + "}");
  }
  return err<string>(ERR_APPROVAL_NOT_FOUND);
}

function queryApprovals(env: Env, body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::Approvals");
  const tokenId = f.string("token_id");
  const includeExpired = optBool(f, "include_expired", false);
  const e = f.done();
  if (e !== null) return err<string>(e);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<string>(ERR_TOKEN_NOT_FOUND);
  return Result.ok<string>('{"approvals":' + approvalsJson(token.approvals, env, includeExpired) + "}");
}

function queryOperator(env: Env, body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::Operator");
  const owner = f.string("owner");
  const operator = f.string("operator");
  const includeExpired = optBool(f, "include_expired", false);
  const e = f.done();
  if (e !== null) return err<string>(e);
  const exp = operatorExpiration(owner, operator);
  if (exp === null || (!includeExpired && exp.isExpired(env.block))) return err<string>(ERR_APPROVAL_NOT_FOUND);
  return Result.ok<string>('{"approval":' + new Approval(operator, exp).toJson() + "}");
}

function queryAllOperators(env: Env, body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::AllOperators");
  const owner = f.string("owner");
  const includeExpired = optBool(f, "include_expired", false);
  const startAfter = f.optString("start_after");
  const limitV = optU32(f, "limit");
  const e = f.done();
  if (e !== null) return err<string>(e);
  const ae = validateAddr(owner, "owner");
  if (ae !== null) return err<string>(ae);
  const limit = pageLimit(<u64>limitV, limitV >= 0);
  const prefix = OPERATORS.prefix([utf8(owner)]);
  const parts: string[] = [];
  let cursor: Uint8Array | null = startAfter === null ? null : utf8(startAfter);
  while (parts.length < limit) {
    const kvs = prefix.rangeAfter(cursor, limit);
    for (let i = 0; i < kvs.length && parts.length < limit; i++) {
      const exp = Expiration.fromJson(parseJsonBytes(kvs[i].value).value!, new ExpirationError())!;
      if (!includeExpired && exp.isExpired(env.block)) continue;
      parts.push(new Approval(fromUtf8(kvs[i].key), exp).toJson());
    }
    if (kvs.length < limit) break;
    cursor = kvs[kvs.length - 1].key;
  }
  return Result.ok<string>('{"operators":[' + parts.join(",") + "]}");
}

function queryNumTokens(body: JsonValue): Result<string> {
  const e = noFields(body, "QueryMsg::NumTokens");
  if (e !== null) return err<string>(e);
  return Result.ok<string>('{"count":' + TOKEN_COUNT.loadU64(0).toString() + "}");
}

function queryContractInfo(body: JsonValue): Result<string> {
  const e = noFields(body, "QueryMsg::ContractInfo");
  if (e !== null) return err<string>(e);
  return Result.ok<string>(COLLECTION.loadJsonText()!);
}

function queryNftInfo(body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::NftInfo");
  const tokenId = f.string("token_id");
  const e = f.done();
  if (e !== null) return err<string>(e);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<string>(ERR_TOKEN_NOT_FOUND);
  return Result.ok<string>(infoJson(token));
}

function queryAllNftInfo(env: Env, body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::AllNftInfo");
  const tokenId = f.string("token_id");
  const includeExpired = optBool(f, "include_expired", false);
  const e = f.done();
  if (e !== null) return err<string>(e);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<string>(ERR_TOKEN_NOT_FOUND);
  return Result.ok<string>('{"access":' + accessJson(env, token, includeExpired) + ',"info":' + infoJson(token) + "}");
}

function tokensJson(ids: string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; i++) parts.push(jsonString(ids[i]));
  return '{"tokens":[' + parts.join(",") + "]}";
}

/** {first, start_after, limit} over a (first, token_id) index. */
function queryIndex(body: JsonValue, what: string, firstKey: string, index: Map, validate: bool): Result<string> {
  const f = new Fields(body, what);
  const first = f.string(firstKey);
  const startAfter = f.optString("start_after");
  const limitV = optU32(f, "limit");
  const e = f.done();
  if (e !== null) return err<string>(e);
  if (validate) {
    const ae = validateAddr(first, firstKey);
    if (ae !== null) return err<string>(ae);
  }
  const limit = pageLimit(<u64>limitV, limitV >= 0);
  return Result.ok<string>(tokensJson(index.prefix([utf8(first)]).keysAfterString(startAfter, limit)));
}

function queryTokens(body: JsonValue): Result<string> {
  return queryIndex(body, "QueryMsg::Tokens", "owner", BY_OWNER, true);
}

function queryModelsByCreator(body: JsonValue): Result<string> {
  return queryIndex(body, "QueryMsg::ModelsByCreator", "creator", BY_CREATOR, true);
}

function queryChildren(body: JsonValue): Result<string> {
  return queryIndex(body, "QueryMsg::Children", "token_id", BY_PARENT, false);
}

function queryAllTokens(body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::AllTokens");
  const startAfter = f.optString("start_after");
  const limitV = optU32(f, "limit");
  const e = f.done();
  if (e !== null) return err<string>(e);
  const limit = pageLimit(<u64>limitV, limitV >= 0);
  return Result.ok<string>(tokensJson(TOKENS.keysAfterString(startAfter, limit)));
}

function queryMinter(body: JsonValue): Result<string> {
  const e = noFields(body, "QueryMsg::Minter");
  if (e !== null) return err<string>(e);
  const owner = Ownership.load().owner;
  return Result.ok<string>('{"minter":' + (owner === null ? "null" : jsonString(owner)) + "}");
}

function queryOwnership(body: JsonValue): Result<string> {
  const e = noFields(body, "QueryMsg::Ownership");
  if (e !== null) return err<string>(e);
  return Result.ok<string>(Ownership.load().toJson());
}

function queryRoyaltyInfo(body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::RoyaltyInfo");
  const tokenId = f.string("token_id");
  const salePrice = f.uint128("sale_price");
  const e = f.done();
  if (e !== null) return err<string>(e);
  const token = TokenInfo.load(tokenId);
  if (token === null) return err<string>(ERR_TOKEN_NOT_FOUND);
  const amount = bpsOf(salePrice, token.royaltyBps);
  return Result.ok<string>('{"address":' + jsonString(token.creator) + ',"royalty_amount":"' + amount.toString() + '"}');
}

function queryCheckRoyalties(body: JsonValue): Result<string> {
  const e = noFields(body, "QueryMsg::CheckRoyalties");
  if (e !== null) return err<string>(e);
  return Result.ok<string>('{"royalty_payments":true}');
}

function queryConfig(body: JsonValue): Result<string> {
  const e = noFields(body, "QueryMsg::Config");
  if (e !== null) return err<string>(e);
  return Result.ok<string>(Config.load().toJson());
}

/** cw2981 tools wrap their queries: {"extension":{"msg":{"royalty_info":…}|{"check_royalties":{}}}}. */
function queryExtension(env: Env, body: JsonValue): Result<string> {
  const f = new Fields(body, "QueryMsg::Extension");
  const inner = f.value("msg");
  const e = f.done();
  if (e !== null) return err<string>(e);
  const v = variantOf(inner);
  if (v !== null && inner.kind == JsonKind.Object) {
    if (v == "royalty_info") return queryRoyaltyInfo(inner.get(v)!);
    if (v == "check_royalties") return queryCheckRoyalties(inner.get(v)!);
  }
  return err<string>("Error parsing into type Cw2981QueryMsg: unknown variant, expected `royalty_info` or `check_royalties`");
}
