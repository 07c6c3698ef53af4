// Storage layout (cw-storage-plus, values JSON) and the licensing contract's records.
//
//   "contract_info"                         cw2 {"contract":"crates.io:soa-licensing","version"}
//   "config"                                Config
//   Map "offers"   (model, kind)            Offer       (kind = "perpetual" | "subscription" | "metered")
//   Map "licenses" (user, model)            License     (one record per user and model, one grant per kind)
//   Map "meters"   model                    [{"meter","added_by"}]
//
// Stored records are written by this contract only; a record that does not parse is a bug and aborts.
import { Fields, Item, JsonValue, JsonWriter, Map, Uint128, panic, utf8 } from "../../sdk";
import { checkedMul, mulDivFloor } from "../../sdk/funds";

export const KIND_PERPETUAL = "perpetual";
export const KIND_SUBSCRIPTION = "subscription";
export const KIND_METERED = "metered";
export const KINDS: string[] = [KIND_PERPETUAL, KIND_SUBSCRIPTION, KIND_METERED];

/** serde's wording for a bad enum tag. */
export function unknownKind(kind: string): string {
  return "unknown variant `" + kind + "`, expected one of `perpetual`, `subscription`, `metered`";
}

export function isKind(kind: string): bool {
  return kind == KIND_PERPETUAL || kind == KIND_SUBSCRIPTION || kind == KIND_METERED;
}

export const BPS_MAX: u32 = 10_000;
export const MAX_PROTOCOL_FEE_BPS: u32 = 1_000;
export const NANOS_PER_SECOND: u64 = 1_000_000_000;

export const CONFIG = new Item("config");
export const OFFERS = new Map("offers");
export const LICENSES = new Map("licenses");
export const METERS = new Map("meters");

function corrupt(what: string, err: string | null): void {
  if (err !== null) panic("corrupt " + what + " in storage: " + err);
}

function u128Json(v: Uint128): string {
  return '"' + v.toString() + '"';
}

function optU128Json(v: Uint128 | null): string {
  return v === null ? "null" : u128Json(v);
}

// ------------------------------------------------------------------------------------------------
// Config

export class Config {
  nftContract: string = "";
  protocolFeeBps: u32 = 0;
  protocolFeeRecipient: string | null = null;
  denom: string = "";

  /** The fee actually taken: none without a recipient (nobody could receive it). */
  get effectiveFeeBps(): u32 {
    return this.protocolFeeRecipient === null ? 0 : this.protocolFeeBps;
  }

  toJson(): string {
    const w = new JsonWriter().beginObject();
    w.fieldString("nft_contract", this.nftContract);
    w.fieldU64("protocol_fee_bps", <u64>this.protocolFeeBps);
    w.fieldStringOrNull("protocol_fee_recipient", this.protocolFeeRecipient);
    w.fieldString("denom", this.denom);
    return w.endObject().toString();
  }

  static load(): Config {
    const v = CONFIG.loadJson();
    if (v === null) panic("config missing");
    const f = new Fields(v, "Config");
    const c = new Config();
    c.nftContract = f.string("nft_contract");
    c.protocolFeeBps = f.u32("protocol_fee_bps");
    c.protocolFeeRecipient = f.optString("protocol_fee_recipient");
    c.denom = f.string("denom");
    corrupt("config", f.done());
    return c;
  }

  save(): void {
    CONFIG.saveJson(this.toJson());
  }
}

// ------------------------------------------------------------------------------------------------
// Licence terms shared by offers and grants

export class Derivatives {
  constructor(
    public allowed: bool,
    public parentRoyaltyBps: u32,
  ) {}

  toJson(): string {
    return (
      '{"allowed":' + (this.allowed ? "true" : "false") + ',"parent_royalty_bps":' + this.parentRoyaltyBps.toString() + "}"
    );
  }

  /** Reads {"allowed":bool,"parent_royalty_bps":u32}; errors go to `outer`. */
  static read(v: JsonValue, outer: Fields): Derivatives {
    const f = new Fields(v, "Derivatives");
    const allowed = f.bool("allowed");
    const bps = f.u32("parent_royalty_bps");
    const err = f.done();
    if (err !== null) outer.fail(err);
    return new Derivatives(allowed, bps);
  }
}

/** What a licence allows, fixed when it is bought. */
export class Terms {
  commercial: bool = false;
  derivatives: Derivatives | null = null;
  transferable: bool = false;

  clone(): Terms {
    const t = new Terms();
    t.commercial = this.commercial;
    const d = this.derivatives;
    t.derivatives = d === null ? null : new Derivatives(d.allowed, d.parentRoyaltyBps);
    t.transferable = this.transferable;
    return t;
  }

  write(w: JsonWriter): void {
    w.fieldBool("commercial", this.commercial);
    const d = this.derivatives;
    w.fieldRaw("derivatives", d === null ? "null" : d.toJson());
    w.fieldBool("transferable", this.transferable);
  }

  static read(f: Fields): Terms {
    const t = new Terms();
    t.commercial = f.bool("commercial");
    const d = f.opt("derivatives");
    if (d !== null) t.derivatives = Derivatives.read(d, f);
    t.transferable = f.bool("transferable");
    return t;
  }
}

// ------------------------------------------------------------------------------------------------
// Offers

/** A parent's royalty share, read from its manifest when the offer is published. */
export class Royalty {
  constructor(
    public tokenId: string,
    public bps: u32,
  ) {}
}

export class Offer {
  model: string = "";
  kind: string = "";
  /** perpetual: price; subscription: price_per_period. */
  price: Uint128 = Uint128.zero();
  periodSeconds: u64 = 0;
  /** metered: exactly one of the two. */
  pricePerCall: Uint128 | null = null;
  pricePer1kUnits: Uint128 | null = null;
  minDeposit: Uint128 = Uint128.zero();
  terms: Terms = new Terms();
  royalties: Royalty[] = [];
  publisher: string = "";
  publishedAt: u64 = 0;

  /** The `offer` object as `publish_offer` takes it (internally tagged by `kind`). */
  priceJson(): string {
    const w = new JsonWriter().beginObject();
    w.fieldString("kind", this.kind);
    if (this.kind == KIND_PERPETUAL) {
      w.fieldRaw("price", u128Json(this.price));
    } else if (this.kind == KIND_SUBSCRIPTION) {
      w.fieldRaw("price_per_period", u128Json(this.price));
      w.fieldU64("period_seconds", this.periodSeconds);
    } else {
      w.fieldRaw("price_per_call", optU128Json(this.pricePerCall));
      w.fieldRaw("price_per_1k_units", optU128Json(this.pricePer1kUnits));
      w.fieldRaw("min_deposit", u128Json(this.minDeposit));
    }
    return w.endObject().toString();
  }

  toJson(): string {
    const w = new JsonWriter().beginObject();
    w.fieldString("model", this.model);
    w.fieldRaw("offer", this.priceJson());
    this.terms.write(w);
    w.key("royalties").beginArray();
    for (let i = 0; i < this.royalties.length; i++) {
      const r = this.royalties[i];
      w.elem().beginObject().fieldString("token_id", r.tokenId).fieldU64("bps", <u64>r.bps).endObject();
    }
    w.endArray();
    w.fieldString("publisher", this.publisher);
    w.fieldString("published_at", this.publishedAt.toString());
    return w.endObject().toString();
  }

  static slotKey(model: string, kind: string): Uint8Array[] {
    return [utf8(model), utf8(kind)];
  }

  static load(model: string, kind: string): Offer | null {
    const v = OFFERS.atParts(Offer.slotKey(model, kind)).loadJson();
    if (v === null) return null;
    const f = new Fields(v, "Offer");
    const o = new Offer();
    o.model = f.string("model");
    const err = readOfferPrice(f.object("offer"), o);
    if (err !== null) f.fail(err);
    o.terms = Terms.read(f);
    const rs = f.array("royalties");
    for (let i = 0; i < rs.length; i++) {
      const rf = new Fields(rs[i], "Royalty");
      const r = new Royalty(rf.string("token_id"), rf.u32("bps"));
      corrupt("royalty", rf.done());
      o.royalties.push(r);
    }
    o.publisher = f.string("publisher");
    o.publishedAt = f.u64String("published_at");
    corrupt("offer", f.done());
    return o;
  }

  save(): void {
    OFFERS.atParts(Offer.slotKey(this.model, this.kind)).saveJson(this.toJson());
  }

  static remove(model: string, kind: string): void {
    OFFERS.atParts(Offer.slotKey(model, kind)).remove();
  }

  /** metered: what one call or one unit costs (≥ 1 for a valid offer). */
  unitPrice(): Uint128 {
    const perCall = this.pricePerCall;
    if (perCall !== null) return perCall;
    return ceilMulDiv1000(Uint128.fromU64(1), this.pricePer1kUnits!)!;
  }
}

/**
 * Reads the `offer` object ({"kind":…, kind-specific fields}) into `o` (kind and prices only; the
 * validation of values is done by the caller). Returns the error, or null.
 */
export function readOfferPrice(v: JsonValue, o: Offer): string | null {
  const f = new Fields(v, "OfferPrice");
  const kind = f.string("kind");
  if (f.ok && !isKind(kind)) f.fail(unknownKind(kind));
  if (f.ok) {
    o.kind = kind;
    if (kind == KIND_PERPETUAL) {
      o.price = f.uint128("price");
    } else if (kind == KIND_SUBSCRIPTION) {
      o.price = f.uint128("price_per_period");
      o.periodSeconds = f.u64("period_seconds");
    } else {
      // Option<Uint128>: absent or null = None.
      o.pricePerCall = f.opt("price_per_call") === null ? null : f.uint128("price_per_call");
      o.pricePer1kUnits = f.opt("price_per_1k_units") === null ? null : f.uint128("price_per_1k_units");
      o.minDeposit = f.uint128("min_deposit");
    }
  }
  return f.done();
}

// ------------------------------------------------------------------------------------------------
// Licences

export class PerpetualGrant {
  pricePaid: Uint128 = Uint128.zero();
  purchasedAt: u64 = 0;
  terms: Terms = new Terms();

  toJson(): string {
    const w = new JsonWriter().beginObject();
    w.fieldRaw("price_paid", u128Json(this.pricePaid));
    w.fieldString("purchased_at", this.purchasedAt.toString());
    this.terms.write(w);
    return w.endObject().toString();
  }
  static read(v: JsonValue): PerpetualGrant {
    const f = new Fields(v, "PerpetualGrant");
    const g = new PerpetualGrant();
    g.pricePaid = f.uint128("price_paid");
    g.purchasedAt = f.u64String("purchased_at");
    g.terms = Terms.read(f);
    corrupt("perpetual grant", f.done());
    return g;
  }
}

export class SubscriptionGrant {
  expiresAt: u64 = 0;
  terms: Terms = new Terms();

  isActive(now: u64): bool {
    return now < this.expiresAt;
  }
  toJson(): string {
    const w = new JsonWriter().beginObject();
    w.fieldString("expires_at", this.expiresAt.toString());
    this.terms.write(w);
    return w.endObject().toString();
  }
  static read(v: JsonValue): SubscriptionGrant {
    const f = new Fields(v, "SubscriptionGrant");
    const g = new SubscriptionGrant();
    g.expiresAt = f.u64String("expires_at");
    g.terms = Terms.read(f);
    corrupt("subscription grant", f.done());
    return g;
  }
}

export class MeteredGrant {
  /** Prepaid credits (usoa) held by the contract for this user and model. */
  credits: Uint128 = Uint128.zero();
  /** Total charged so far. */
  spent: Uint128 = Uint128.zero();
  terms: Terms = new Terms();

  toJson(): string {
    const w = new JsonWriter().beginObject();
    w.fieldRaw("credits", u128Json(this.credits));
    w.fieldRaw("spent", u128Json(this.spent));
    this.terms.write(w);
    return w.endObject().toString();
  }
  static read(v: JsonValue): MeteredGrant {
    const f = new Fields(v, "MeteredGrant");
    const g = new MeteredGrant();
    g.credits = f.uint128("credits");
    g.spent = f.uint128("spent");
    g.terms = Terms.read(f);
    corrupt("metered grant", f.done());
    return g;
  }
}

/** Everything one user holds for one model. */
export class License {
  perpetual: PerpetualGrant | null = null;
  subscription: SubscriptionGrant | null = null;
  metered: MeteredGrant | null = null;

  constructor(
    public model: string,
    public user: string,
  ) {}

  isEmpty(): bool {
    return this.perpetual === null && this.subscription === null && this.metered === null;
  }

  toJson(): string {
    const w = new JsonWriter().beginObject();
    w.fieldString("model", this.model);
    w.fieldString("user", this.user);
    const p = this.perpetual;
    w.fieldRaw("perpetual", p === null ? "null" : p.toJson());
    const s = this.subscription;
    w.fieldRaw("subscription", s === null ? "null" : s.toJson());
    const m = this.metered;
    w.fieldRaw("metered", m === null ? "null" : m.toJson());
    return w.endObject().toString();
  }

  static fromJson(v: JsonValue): License {
    const f = new Fields(v, "License");
    const l = new License(f.string("model"), f.string("user"));
    const p = f.opt("perpetual");
    if (p !== null) l.perpetual = PerpetualGrant.read(p);
    const s = f.opt("subscription");
    if (s !== null) l.subscription = SubscriptionGrant.read(s);
    const m = f.opt("metered");
    if (m !== null) l.metered = MeteredGrant.read(m);
    corrupt("license", f.done());
    return l;
  }

  static slotKey(user: string, model: string): Uint8Array[] {
    return [utf8(user), utf8(model)];
  }

  /** The stored record, or an empty one (not saved). */
  static load(model: string, user: string): License {
    const v = LICENSES.atParts(License.slotKey(user, model)).loadJson();
    if (v === null) return new License(model, user);
    return License.fromJson(v);
  }

  /** Saves, or removes the record once it holds nothing. */
  save(): void {
    const slot = LICENSES.atParts(License.slotKey(this.user, this.model));
    if (this.isEmpty()) slot.remove();
    else slot.saveJson(this.toJson());
  }
}

// ------------------------------------------------------------------------------------------------
// Meters

export class MeterEntry {
  constructor(
    public meter: string,
    /** The model owner who authorised it; the meter only counts while that address owns the model. */
    public addedBy: string,
  ) {}
}

export function loadMeters(model: string): MeterEntry[] {
  const out: MeterEntry[] = [];
  const v = METERS.at(model).loadJson();
  if (v === null) return out;
  if (!v.isArray) panic("corrupt meters in storage");
  for (let i = 0; i < v.items.length; i++) {
    const f = new Fields(v.items[i], "MeterEntry");
    const e = new MeterEntry(f.string("meter"), f.string("added_by"));
    corrupt("meter", f.done());
    out.push(e);
  }
  return out;
}

export function saveMeters(model: string, meters: MeterEntry[]): void {
  const slot = METERS.at(model);
  if (meters.length == 0) {
    slot.remove();
    return;
  }
  const w = new JsonWriter().beginArray();
  for (let i = 0; i < meters.length; i++) {
    w.elem().beginObject().fieldString("meter", meters[i].meter).fieldString("added_by", meters[i].addedBy).endObject();
  }
  METERS.at(model).saveJson(w.endArray().toString());
}

// ------------------------------------------------------------------------------------------------
// Small exact arithmetic on top of sdk/math + sdk/funds

/** n mod m for a small m (m > 0), exact. */
export function modSmall(n: Uint128, m: u64): u64 {
  // n = hi·2^64 + lo;  2^64 mod m = ((2^64 − 1) mod m + 1) mod m
  const p = ((u64.MAX_VALUE % m) + 1) % m;
  const hi = n.hi % m;
  // hi·p < m² fits in u64 for m < 2^32
  return ((hi * p) % m + (n.lo % m)) % m;
}

/** ceil(a·b / 1000), or null if it does not fit in 128 bits. */
export function ceilMulDiv1000(a: Uint128, b: Uint128): Uint128 | null {
  const q = mulDivFloor(a, b, Uint128.fromU64(1000));
  if (q === null) return null;
  const rem = (modSmall(a, 1000) * modSmall(b, 1000)) % 1000;
  if (rem == 0) return q;
  return q.checkedAdd(Uint128.fromU64(1));
}

/**
 * What `units` cost under a metered offer: units × price_per_call, or ceil(units × price_per_1k_units
 * / 1000). Null if the cost does not fit in a Uint128.
 */
export function meteredCost(o: Offer, units: Uint128): Uint128 | null {
  const perCall = o.pricePerCall;
  if (perCall !== null) return checkedMul(units, perCall);
  return ceilMulDiv1000(units, o.pricePer1kUnits!);
}
