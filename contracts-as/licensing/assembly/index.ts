// licensing: licence offers for tokenized AI models (model-nft tokens) and their purchase.
//
// The current owner of a model token (asked from the NFT contract with cw721 `owner_of` at call time)
// publishes at most one offer per kind: perpetual (one price), subscription (price per period of
// block time) or metered (prepaid credits charged per call or per 1000 units by authorised meters or by
// the chain through sudo). Every payment is split in the same transaction: the protocol fee, the
// royalties of the model's direct parents (their manifest royalty_bps, paid to each parent token's
// current owner: LRP style), and the rest to the model's current owner. Message shapes:
// contracts-as/licensing/README.md.
import {
  BankMsg,
  Env,
  Fields,
  JsonValue,
  JsonWriter,
  MessageInfo,
  Response,
  Result,
  Uint128,
  addrValidate,
  coin128,
  doExecute,
  doInstantiate,
  doMigrate,
  doQuery,
  doSudo,
  fromUtf8,
  utf8,
  variantOf,
} from "../../sdk";
import { bpsOf, checkedMul, mulDivFloor, mustPay, nonpayable } from "../../sdk/funds";
import { assertContract, setContractVersion } from "../../sdk/cw2";
import { pageLimit } from "../../sdk/iter";
import { isContractError, manifestOf, ownerOf } from "./nft";
import {
  BPS_MAX,
  Config,
  Derivatives,
  KIND_METERED,
  KIND_PERPETUAL,
  KIND_SUBSCRIPTION,
  KINDS,
  LICENSES,
  License,
  MAX_PROTOCOL_FEE_BPS,
  MeterEntry,
  MeteredGrant,
  NANOS_PER_SECOND,
  Offer,
  PerpetualGrant,
  Royalty,
  SubscriptionGrant,
  Terms,
  isKind,
  loadMeters,
  meteredCost,
  readOfferPrice,
  saveMeters,
  unknownKind,
} from "./state";
export * from "../../sdk/exports";
export { requires_iterator } from "../../sdk/iter";

export const CONTRACT_NAME = "crates.io:soa-licensing";
export const CONTRACT_VERSION = "0.1.0";
/** Meters per model (each charge looks the sender up in this list). */
export const MAX_METERS: i32 = 32;

// Errors
export const ERR_UNAUTHORIZED = "Unauthorized";
export const ERR_UNAUTHORIZED_METER = "Unauthorized meter";
export const ERR_OFFER_NOT_FOUND = "Offer not found";
export const ERR_LICENSE_NOT_FOUND = "License not found";
export const ERR_INSUFFICIENT_CREDITS = "Insufficient credits";
export const ERR_NOT_TRANSFERABLE = "License not transferable";
export const ERR_ROYALTY_STACK = "Royalty stack above 100%";

function err(message: string): Result<Response> {
  return Result.err<Response>(message);
}

/** Fields of the variant's body (a missing or non-object body is reported by done()). */
function body(msg: JsonValue, variant: string, typeName: string): Fields {
  return new Fields(msg.get(variant), typeName);
}

function kindField(f: Fields, key: string): string {
  const kind = f.string(key);
  if (f.ok && !isKind(kind)) f.fail(unknownKind(kind));
  return kind;
}

function validAddr(addr: string, what: string): string | null {
  const e = addrValidate(addr);
  return e === null ? null : "Invalid " + what + ": " + e;
}

// ------------------------------------------------------------------------------------------------
// instantiate {"nft_contract","protocol_fee_bps","protocol_fee_recipient":null|addr,"denom"}

function isValidDenom(d: string): bool {
  // Cosmos SDK: [a-zA-Z][a-zA-Z0-9/:._-]{2,127}
  if (d.length < 3 || d.length > 128) return false;
  for (let i = 0; i < d.length; i++) {
    const c = d.charCodeAt(i);
    const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (i == 0) {
      if (!alpha) return false;
      continue;
    }
    const ok = alpha || (c >= 0x30 && c <= 0x39) || c == 0x2f || c == 0x3a || c == 0x2e || c == 0x5f || c == 0x2d;
    if (!ok) return false;
  }
  return true;
}

function handleInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = new Fields(msg, "InstantiateMsg");
  const cfg = new Config();
  cfg.nftContract = f.string("nft_contract");
  cfg.protocolFeeBps = f.u32("protocol_fee_bps");
  cfg.protocolFeeRecipient = f.optString("protocol_fee_recipient");
  cfg.denom = f.string("denom");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const badNft = validAddr(cfg.nftContract, "nft_contract");
  if (badNft !== null) return err(badNft);
  if (cfg.protocolFeeBps > MAX_PROTOCOL_FEE_BPS) return err("Protocol fee above " + MAX_PROTOCOL_FEE_BPS.toString() + " bps");
  const recipient = cfg.protocolFeeRecipient;
  if (recipient !== null) {
    const bad = validAddr(recipient, "protocol_fee_recipient");
    if (bad !== null) return err(bad);
  }
  if (!isValidDenom(cfg.denom)) return err("Invalid denom: " + cfg.denom);
  cfg.save();
  setContractVersion(CONTRACT_NAME, CONTRACT_VERSION);
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "instantiate")
      .addAttribute("contract_name", CONTRACT_NAME)
      .addAttribute("contract_version", CONTRACT_VERSION)
      .addAttribute("nft_contract", cfg.nftContract)
      .addAttribute("protocol_fee_bps", cfg.protocolFeeBps.toString())
      .addAttribute("denom", cfg.denom),
  );
}

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return doInstantiate(env, info, msg, handleInstantiate);
}

// ------------------------------------------------------------------------------------------------
// Payment split

class Payee {
  constructor(
    public addr: string,
    public amount: Uint128,
  ) {}
}

function addPayee(payees: Payee[], addr: string, amount: Uint128): void {
  if (amount.isZero()) return;
  for (let i = 0; i < payees.length; i++) {
    if (payees[i].addr == addr) {
      payees[i].amount = payees[i].amount.checkedAdd(amount)!; // parts of one payment: no overflow
      return;
    }
  }
  payees.push(new Payee(addr, amount));
}

/**
 * Pays `amount` (already held by the contract) for `offer`: protocol fee, the parents' royalties to
 * their current owners, the rest to `owner` (the model's current owner). One BankMsg::Send per
 * recipient (shares of one address are merged); attributes protocol_fee, royalties, owner_amount.
 * A parent token that no longer exists is skipped (its share stays with the owner).
 */
function distribute(cfg: Config, offer: Offer, owner: string, amount: Uint128, res: Response): string | null {
  const payees: Payee[] = [];
  const fee = bpsOf(amount, cfg.effectiveFeeBps);
  let rest = amount.checkedSub(fee);
  if (rest === null) return ERR_ROYALTY_STACK;
  if (!fee.isZero()) addPayee(payees, cfg.protocolFeeRecipient!, fee);
  let royalties = Uint128.zero();
  for (let i = 0; i < offer.royalties.length; i++) {
    const r = offer.royalties[i];
    const share = bpsOf(amount, r.bps);
    if (share.isZero()) continue;
    const parentOwner = ownerOf(cfg.nftContract, r.tokenId);
    if (!parentOwner.isOk) {
      if (!isContractError(parentOwner.error!)) return parentOwner.error;
      res.addAttribute("royalty_skipped", r.tokenId);
      continue;
    }
    rest = rest.checkedSub(share);
    if (rest === null) return ERR_ROYALTY_STACK;
    royalties = royalties.checkedAdd(share)!;
    addPayee(payees, parentOwner.value!, share);
  }
  addPayee(payees, owner, rest);
  for (let i = 0; i < payees.length; i++) {
    res.addMessage(BankMsg.send(payees[i].addr, [coin128(payees[i].amount, cfg.denom)]));
  }
  res
    .addAttribute("owner", owner)
    .addAttribute("protocol_fee", fee.toString())
    .addAttribute("royalties", royalties.toString())
    .addAttribute("owner_amount", rest.toString());
  return null;
}

/** The model's current owner, or an error naming the model. */
function modelOwner(cfg: Config, model: string): Result<string> {
  const r = ownerOf(cfg.nftContract, model);
  if (!r.isOk) return Result.err<string>("Model " + model + ": " + r.error!);
  return r;
}

/** null if `sender` currently owns `model`; else the error. */
function requireOwner(cfg: Config, model: string, sender: string): string | null {
  const owner = modelOwner(cfg, model);
  if (!owner.isOk) return owner.error;
  return owner.value! == sender ? null : ERR_UNAUTHORIZED;
}

// ------------------------------------------------------------------------------------------------
// Offers

const U64_MAX_SECONDS: u64 = u64.MAX_VALUE / NANOS_PER_SECOND;

// publish_offer {"model","offer":{…},"commercial","derivatives":null|{"allowed","parent_royalty_bps"},"transferable"}
function publishOffer(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = body(msg, "publish_offer", "ExecuteMsg::PublishOffer");
  const o = new Offer();
  o.model = f.string("model");
  const priceV = f.object("offer");
  if (f.ok) {
    const pe = readOfferPrice(priceV, o);
    if (pe !== null) f.fail(pe);
  }
  o.terms = Terms.read(f);
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);

  // Values.
  if (o.kind == KIND_PERPETUAL || o.kind == KIND_SUBSCRIPTION) {
    if (o.price.isZero()) return err("Invalid price: must be greater than zero");
  }
  if (o.kind == KIND_SUBSCRIPTION) {
    if (o.periodSeconds == 0 || o.periodSeconds > U64_MAX_SECONDS) return err("Invalid period_seconds");
  }
  if (o.kind == KIND_METERED) {
    const perCall = o.pricePerCall;
    const per1k = o.pricePer1kUnits;
    if ((perCall === null) == (per1k === null)) {
      return err("Exactly one of price_per_call and price_per_1k_units must be set");
    }
    if ((perCall !== null && perCall.isZero()) || (per1k !== null && per1k.isZero())) {
      return err("Invalid price: must be greater than zero");
    }
  }
  const d = o.terms.derivatives;
  if (d !== null && d.parentRoyaltyBps > BPS_MAX) return err("Invalid parent_royalty_bps: above 10000");

  const cfg = Config.load();
  const denied = requireOwner(cfg, o.model, info.sender);
  if (denied !== null) return err(denied);

  // Royalty schedule from the manifests (immutable after mint): the model's direct parents.
  const manifest = manifestOf(cfg.nftContract, o.model);
  if (!manifest.isOk) return err("Model " + o.model + ": " + manifest.error!);
  const parents = manifest.value!.parents;
  let stack: u64 = <u64>cfg.effectiveFeeBps;
  for (let i = 0; i < parents.length; i++) {
    const p = parents[i];
    let dup = false;
    for (let j = 0; j < o.royalties.length; j++) if (o.royalties[j].tokenId == p) dup = true;
    if (dup || p == o.model) continue;
    const pm = manifestOf(cfg.nftContract, p);
    if (!pm.isOk) {
      if (isContractError(pm.error!)) continue; // a burned parent gets nothing
      return err(pm.error!);
    }
    const bps = pm.value!.royaltyBps;
    if (bps > BPS_MAX) return err(ERR_ROYALTY_STACK);
    stack += <u64>bps;
    if (bps > 0) o.royalties.push(new Royalty(p, bps));
  }
  if (stack > <u64>BPS_MAX) return err(ERR_ROYALTY_STACK);

  o.publisher = info.sender;
  o.publishedAt = env.block.time;
  o.save();
  const res = new Response()
    .addAttribute("action", "publish_offer")
    .addAttribute("sender", info.sender)
    .addAttribute("model", o.model)
    .addAttribute("kind", o.kind)
    .addAttribute("offer", o.priceJson())
    .addAttribute("royalty_bps", (stack - <u64>cfg.effectiveFeeBps).toString());
  return Result.ok<Response>(res);
}

// withdraw_offer {"model","kind"}
function withdrawOffer(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = body(msg, "withdraw_offer", "ExecuteMsg::WithdrawOffer");
  const model = f.string("model");
  const kind = kindField(f, "kind");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const cfg = Config.load();
  const denied = requireOwner(cfg, model, info.sender);
  if (denied !== null) return err(denied);
  if (Offer.load(model, kind) === null) return err(ERR_OFFER_NOT_FOUND);
  Offer.remove(model, kind);
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "withdraw_offer")
      .addAttribute("sender", info.sender)
      .addAttribute("model", model)
      .addAttribute("kind", kind),
  );
}

// ------------------------------------------------------------------------------------------------
// Buying

// buy_license {"model","kind"} with funds: perpetual = exactly the price; subscription = n × price_per_period
function buyLicense(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = body(msg, "buy_license", "ExecuteMsg::BuyLicense");
  const model = f.string("model");
  const kind = kindField(f, "kind");
  const e = f.done();
  if (e !== null) return err(e);
  if (kind == KIND_METERED) return err("Metered licenses are bought with deposit_credits");
  const cfg = Config.load();
  const paidR = mustPay(info, cfg.denom);
  if (!paidR.isOk) return err(paidR.error!);
  const paid = paidR.value!;
  const offer = Offer.load(model, kind);
  if (offer === null) return err(ERR_OFFER_NOT_FOUND);
  const lic = License.load(model, info.sender);
  const now = env.block.time;
  const res = new Response()
    .addAttribute("action", "buy_license")
    .addAttribute("sender", info.sender)
    .addAttribute("model", model)
    .addAttribute("kind", kind)
    .addAttribute("price", paid.toString());

  if (kind == KIND_PERPETUAL) {
    if (lic.perpetual !== null) return err("License already held");
    const c = paid.cmp(offer.price);
    if (c < 0) return err("Insufficient funds: the price is " + offer.price.toString() + cfg.denom + ", got " + paid.toString() + cfg.denom);
    if (c > 0) return err("Wrong funds: the price is " + offer.price.toString() + cfg.denom + ", got " + paid.toString() + cfg.denom);
    const g = new PerpetualGrant();
    g.pricePaid = paid;
    g.purchasedAt = now;
    g.terms = offer.terms.clone();
    lic.perpetual = g;
  } else {
    // Subscription: a whole number of periods, counted from the current expiry if still active.
    const per = offer.price;
    if (paid.cmp(per) < 0) {
      return err("Insufficient funds: one period costs " + per.toString() + cfg.denom + ", got " + paid.toString() + cfg.denom);
    }
    const n = mulDivFloor(paid, Uint128.fromU64(1), per)!;
    const exact = checkedMul(n, per);
    if (exact === null || exact.cmp(paid) != 0) {
      return err("Wrong funds: pay a whole number of periods of " + per.toString() + cfg.denom + ", got " + paid.toString() + cfg.denom);
    }
    const tooLong = "Subscription too long";
    if (n.hi != 0) return err(tooLong);
    const periodNanos = offer.periodSeconds * NANOS_PER_SECOND; // ≤ u64::MAX by the publish check
    if (n.lo > u64.MAX_VALUE / periodNanos) return err(tooLong);
    const extra = n.lo * periodNanos;
    const cur = lic.subscription;
    const from = cur !== null && cur.isActive(now) ? cur.expiresAt : now;
    if (from > u64.MAX_VALUE - extra) return err(tooLong);
    const g = new SubscriptionGrant();
    g.expiresAt = from + extra;
    g.terms = offer.terms.clone();
    lic.subscription = g;
    res.addAttribute("periods", n.toString()).addAttribute("expires_at", g.expiresAt.toString());
  }

  const owner = modelOwner(cfg, model);
  if (!owner.isOk) return err(owner.error!);
  const pe = distribute(cfg, offer, owner.value!, paid, res);
  if (pe !== null) return err(pe);
  lic.save();
  return Result.ok<Response>(res);
}

// deposit_credits {"model"} with funds: prepaid credits for the model's metered offer
function depositCredits(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = body(msg, "deposit_credits", "ExecuteMsg::DepositCredits");
  const model = f.string("model");
  const e = f.done();
  if (e !== null) return err(e);
  const cfg = Config.load();
  const paidR = mustPay(info, cfg.denom);
  if (!paidR.isOk) return err(paidR.error!);
  const paid = paidR.value!;
  const offer = Offer.load(model, KIND_METERED);
  if (offer === null) return err(ERR_OFFER_NOT_FOUND);
  const lic = License.load(model, info.sender);
  let g = lic.metered;
  if (g === null || g.credits.isZero()) {
    if (paid.cmp(offer.minDeposit) < 0) {
      return err("Insufficient funds: the minimum deposit is " + offer.minDeposit.toString() + cfg.denom + ", got " + paid.toString() + cfg.denom);
    }
  }
  if (g === null) {
    g = new MeteredGrant();
    g.terms = offer.terms.clone();
    lic.metered = g;
  }
  const credits = g.credits.checkedAdd(paid);
  if (credits === null) return err("Credits overflow");
  g.credits = credits;
  lic.save();
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "deposit_credits")
      .addAttribute("sender", info.sender)
      .addAttribute("model", model)
      .addAttribute("amount", paid.toString())
      .addAttribute("credits", credits.toString()),
  );
}

// withdraw_credits {"model","amount":null|"<uint128>"} (null = everything)
function withdrawCredits(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = body(msg, "withdraw_credits", "ExecuteMsg::WithdrawCredits");
  const model = f.string("model");
  const amount: Uint128 | null = f.opt("amount") === null ? null : f.uint128("amount");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const cfg = Config.load();
  const lic = License.load(model, info.sender);
  const g = lic.metered;
  if (g === null || g.credits.isZero()) return err(ERR_INSUFFICIENT_CREDITS);
  const take = amount === null ? g.credits : amount;
  if (take.isZero()) return err("Invalid amount: must be greater than zero");
  const left = g.credits.checkedSub(take);
  if (left === null) return err(ERR_INSUFFICIENT_CREDITS);
  g.credits = left;
  lic.save();
  return Result.ok<Response>(
    new Response()
      .addMessage(BankMsg.send(info.sender, [coin128(take, cfg.denom)]))
      .addAttribute("action", "withdraw_credits")
      .addAttribute("sender", info.sender)
      .addAttribute("model", model)
      .addAttribute("amount", take.toString())
      .addAttribute("credits", left.toString()),
  );
}

// ------------------------------------------------------------------------------------------------
// Meters and usage

function meterFields(msg: JsonValue, variant: string, typeName: string, out: string[]): string | null {
  const f = body(msg, variant, typeName);
  out.push(f.string("model"));
  out.push(f.string("meter"));
  return f.done();
}

// add_meter {"model","meter"}: the model's owner authorises a meter
function addMeter(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const a: string[] = [];
  const e = meterFields(msg, "add_meter", "ExecuteMsg::AddMeter", a);
  if (e !== null) return err(e);
  const model = a[0];
  const meter = a[1];
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const bad = validAddr(meter, "meter");
  if (bad !== null) return err(bad);
  const cfg = Config.load();
  const denied = requireOwner(cfg, model, info.sender);
  if (denied !== null) return err(denied);
  // Entries of previous owners are inert; drop them while we are here.
  const all = loadMeters(model);
  const kept: MeterEntry[] = [];
  for (let i = 0; i < all.length; i++) {
    if (all[i].addedBy != info.sender) continue;
    if (all[i].meter == meter) return err("Meter already authorised");
    kept.push(all[i]);
  }
  if (kept.length >= MAX_METERS) return err("Too many meters (max " + MAX_METERS.toString() + ")");
  kept.push(new MeterEntry(meter, info.sender));
  saveMeters(model, kept);
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "add_meter")
      .addAttribute("sender", info.sender)
      .addAttribute("model", model)
      .addAttribute("meter", meter),
  );
}

// remove_meter {"model","meter"}
function removeMeter(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const a: string[] = [];
  const e = meterFields(msg, "remove_meter", "ExecuteMsg::RemoveMeter", a);
  if (e !== null) return err(e);
  const model = a[0];
  const meter = a[1];
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const cfg = Config.load();
  const denied = requireOwner(cfg, model, info.sender);
  if (denied !== null) return err(denied);
  const all = loadMeters(model);
  const kept: MeterEntry[] = [];
  let found = false;
  for (let i = 0; i < all.length; i++) {
    if (all[i].meter == meter) found = true;
    else if (all[i].addedBy == info.sender) kept.push(all[i]);
  }
  if (!found) return err("Meter not found");
  saveMeters(model, kept);
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "remove_meter")
      .addAttribute("sender", info.sender)
      .addAttribute("model", model)
      .addAttribute("meter", meter),
  );
}

function isActiveMeter(model: string, meter: string, owner: string): bool {
  const all = loadMeters(model);
  for (let i = 0; i < all.length; i++) {
    if (all[i].meter == meter && all[i].addedBy == owner) return true;
  }
  return false;
}

class UsageMsg {
  model: string = "";
  user: string = "";
  units: Uint128 = Uint128.zero();
}

function readUsage(msg: JsonValue, variant: string, typeName: string, out: UsageMsg): string | null {
  const f = body(msg, variant, typeName);
  out.model = f.string("model");
  out.user = f.string("user");
  out.units = f.uint128("units");
  return f.done();
}

/**
 * Charges `units` of metered usage to the user's credits and pays the split at once. Nothing changes
 * on any error (the caller returns it before anything is saved). `meter` = the charging meter, or null
 * for the chain (sudo).
 */
function charge(env: Env, u: UsageMsg, meter: string | null, action: string): Result<Response> {
  if (u.units.isZero()) return err("Invalid units: must be greater than zero");
  const cfg = Config.load();
  const owner = modelOwner(cfg, u.model);
  if (!owner.isOk) return err(owner.error!);
  if (meter !== null && !isActiveMeter(u.model, meter, owner.value!)) return err(ERR_UNAUTHORIZED_METER);
  const offer = Offer.load(u.model, KIND_METERED);
  if (offer === null) return err(ERR_OFFER_NOT_FOUND);
  const lic = License.load(u.model, u.user);
  const g = lic.metered;
  if (g === null) return err(ERR_INSUFFICIENT_CREDITS);
  const cost = meteredCost(offer, u.units);
  if (cost === null) return err(ERR_INSUFFICIENT_CREDITS);
  const left = g.credits.checkedSub(cost);
  if (left === null) return err(ERR_INSUFFICIENT_CREDITS);
  const spent = g.spent.checkedAdd(cost);
  g.credits = left;
  g.spent = spent === null ? new Uint128(u64.MAX_VALUE, u64.MAX_VALUE) : spent; // a statistic: saturate
  const res = new Response().addAttribute("action", action);
  if (meter !== null) res.addAttribute("sender", meter);
  res
    .addAttribute("model", u.model)
    .addAttribute("user", u.user)
    .addAttribute("units", u.units.toString())
    .addAttribute("cost", cost.toString())
    .addAttribute("credits", left.toString());
  const pe = distribute(cfg, offer, owner.value!, cost, res);
  if (pe !== null) return err(pe);
  lic.save();
  return Result.ok<Response>(res);
}

// charge_usage {"model","user","units"}: an authorised meter of the model
function chargeUsage(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const u = new UsageMsg();
  const e = readUsage(msg, "charge_usage", "ExecuteMsg::ChargeUsage", u);
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  return charge(env, u, info.sender, "charge_usage");
}

// ------------------------------------------------------------------------------------------------
// Transfers

// transfer_license {"model","kind","to"}: only licences bought from a transferable offer
function transferLicense(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = body(msg, "transfer_license", "ExecuteMsg::TransferLicense");
  const model = f.string("model");
  const kind = kindField(f, "kind");
  const to = f.string("to");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const bad = validAddr(to, "recipient");
  if (bad !== null) return err(bad);
  if (to == info.sender) return err("Cannot transfer a license to its holder");
  const from = License.load(model, info.sender);
  const dest = License.load(model, to);
  const now = env.block.time;
  const res = new Response()
    .addAttribute("action", "transfer_license")
    .addAttribute("sender", info.sender)
    .addAttribute("recipient", to)
    .addAttribute("model", model)
    .addAttribute("kind", kind);
  if (kind == KIND_PERPETUAL) {
    const g = from.perpetual;
    if (g === null) return err(ERR_LICENSE_NOT_FOUND);
    if (!g.terms.transferable) return err(ERR_NOT_TRANSFERABLE);
    if (dest.perpetual !== null) return err("Recipient already holds this license");
    dest.perpetual = g;
    from.perpetual = null;
  } else if (kind == KIND_SUBSCRIPTION) {
    const g = from.subscription;
    if (g === null) return err(ERR_LICENSE_NOT_FOUND);
    if (!g.terms.transferable) return err(ERR_NOT_TRANSFERABLE);
    if (!g.isActive(now)) return err("Subscription expired");
    const d = dest.subscription;
    if (d !== null && d.isActive(now)) return err("Recipient already holds this license");
    dest.subscription = g;
    from.subscription = null;
    res.addAttribute("expires_at", g.expiresAt.toString());
  } else {
    const g = from.metered;
    if (g === null) return err(ERR_LICENSE_NOT_FOUND);
    if (!g.terms.transferable) return err(ERR_NOT_TRANSFERABLE);
    if (g.credits.isZero()) return err(ERR_INSUFFICIENT_CREDITS);
    const d = dest.metered;
    if (d !== null && !d.credits.isZero()) return err("Recipient already holds this license");
    dest.metered = g;
    from.metered = null;
    res.addAttribute("credits", g.credits.toString());
  }
  from.save();
  dest.save();
  return Result.ok<Response>(res);
}

// ------------------------------------------------------------------------------------------------
// execute / sudo / migrate

const EXECUTE_VARIANTS =
  "`publish_offer`, `withdraw_offer`, `buy_license`, `deposit_credits`, `withdraw_credits`, `add_meter`, `remove_meter`, `charge_usage`, `transfer_license`";

function handleExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  if (v == "publish_offer") return publishOffer(env, info, msg);
  if (v == "withdraw_offer") return withdrawOffer(env, info, msg);
  if (v == "buy_license") return buyLicense(env, info, msg);
  if (v == "deposit_credits") return depositCredits(env, info, msg);
  if (v == "withdraw_credits") return withdrawCredits(env, info, msg);
  if (v == "add_meter") return addMeter(env, info, msg);
  if (v == "remove_meter") return removeMeter(env, info, msg);
  if (v == "charge_usage") return chargeUsage(env, info, msg);
  if (v == "transfer_license") return transferLicense(env, info, msg);
  return err("Error parsing into type ExecuteMsg: unknown variant, expected one of " + EXECUTE_VARIANTS);
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  return doExecute(env, info, msg, handleExecute);
}

// sudo {"settle_usage":{"model","user","units"}}: the chain (inference module) charges metered usage
function handleSudo(env: Env, msg: JsonValue): Result<Response> {
  if (variantOf(msg) != "settle_usage") {
    return err("Error parsing into type SudoMsg: unknown variant, expected one of `settle_usage`");
  }
  const u = new UsageMsg();
  const e = readUsage(msg, "settle_usage", "SudoMsg::SettleUsage", u);
  if (e !== null) return err(e);
  return charge(env, u, null, "settle_usage");
}

export function sudo(env: u32, msg: u32): u32 {
  return doSudo(env, msg, handleSudo);
}

// migrate {}: same contract only; records the new version
function handleMigrate(env: Env, msg: JsonValue): Result<Response> {
  const e = new Fields(msg, "MigrateMsg").done();
  if (e !== null) return err(e);
  const wrong = assertContract(CONTRACT_NAME);
  if (wrong !== null) return err(wrong);
  setContractVersion(CONTRACT_NAME, CONTRACT_VERSION);
  return Result.ok<Response>(
    new Response().addAttribute("action", "migrate").addAttribute("contract_version", CONTRACT_VERSION),
  );
}

export function migrate(env: u32, msg: u32): u32 {
  return doMigrate(env, msg, handleMigrate);
}

// ------------------------------------------------------------------------------------------------
// Queries

/** check_access: whether `user` may use `model` now, and under which licence. */
function checkAccess(env: Env, model: string, user: string): string {
  const now = env.block.time;
  const lic = License.load(model, user);
  const metered = Offer.load(model, KIND_METERED);
  const price: Uint128 | null = metered === null ? null : metered.unitPrice();
  let kind: string | null = null;
  const sub = lic.subscription;
  const m = lic.metered;
  const credits = m === null ? Uint128.zero() : m.credits;
  if (lic.perpetual !== null) kind = KIND_PERPETUAL;
  else if (sub !== null && sub.isActive(now)) kind = KIND_SUBSCRIPTION;
  else if (price !== null && credits.cmp(price) >= 0) kind = KIND_METERED;
  const w = new JsonWriter().beginObject();
  w.fieldBool("allowed", kind !== null);
  w.fieldStringOrNull("kind", kind);
  w.fieldStringOrNull("expires_at", kind != KIND_PERPETUAL && sub !== null ? sub.expiresAt.toString() : null);
  w.fieldString("credits", credits.toString());
  w.fieldStringOrNull("price", price === null ? null : price.toString());
  return w.endObject().toString();
}

function offersJson(model: string): string {
  const w = new JsonWriter().beginObject().key("offers").beginArray();
  for (let i = 0; i < KINDS.length; i++) {
    const o = Offer.load(model, KINDS[i]);
    if (o !== null) w.elem().raw(o.toJson());
  }
  return w.endArray().endObject().toString();
}

function licensesByUser(user: string, startAfter: string | null, limit: i32): string {
  const kvs = LICENSES.prefix([utf8(user)]).rangeAfter(startAfter === null ? null : utf8(startAfter), limit);
  const w = new JsonWriter().beginObject().key("licenses").beginArray();
  for (let i = 0; i < kvs.length; i++) w.elem().raw(fromUtf8(kvs[i].value));
  return w.endArray().endObject().toString();
}

function metersJson(cfg: Config, model: string): Result<string> {
  const owner = modelOwner(cfg, model);
  if (!owner.isOk) return Result.err<string>(owner.error!);
  const all = loadMeters(model);
  const w = new JsonWriter().beginObject().key("meters").beginArray();
  for (let i = 0; i < all.length; i++) {
    if (all[i].addedBy == owner.value!) w.elem().string(all[i].meter);
  }
  return Result.ok<string>(w.endArray().endObject().toString());
}

const QUERY_VARIANTS = "`config`, `offers`, `license`, `licenses_by_user`, `meters`, `check_access`";

function handleQuery(env: Env, msg: JsonValue): Result<string> {
  const v = variantOf(msg);
  if (v === null) return Result.err<string>("Error parsing into type QueryMsg: expected an enum variant");
  const f = new Fields(msg.get(v), "QueryMsg::" + v);
  if (v == "config") {
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    return Result.ok<string>(Config.load().toJson());
  }
  if (v == "offers") {
    const model = f.string("model");
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    return Result.ok<string>(offersJson(model));
  }
  if (v == "license") {
    const model = f.string("model");
    const user = f.string("user");
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    return Result.ok<string>(License.load(model, user).toJson());
  }
  if (v == "licenses_by_user") {
    const user = f.string("user");
    const startAfter = f.optString("start_after");
    const hasLimit = f.has("limit");
    const limit = f.optU64("limit", 0);
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    return Result.ok<string>(licensesByUser(user, startAfter, pageLimit(limit, hasLimit)));
  }
  if (v == "meters") {
    const model = f.string("model");
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    return metersJson(Config.load(), model);
  }
  if (v == "check_access") {
    const model = f.string("model");
    const user = f.string("user");
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    return Result.ok<string>(checkAccess(env, model, user));
  }
  return Result.err<string>("Error parsing into type QueryMsg: unknown variant `" + v + "`, expected one of " + QUERY_VARIANTS);
}

export function query(env: u32, msg: u32): u32 {
  return doQuery(env, msg, handleQuery);
}
