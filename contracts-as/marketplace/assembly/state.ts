// marketplace storage, cw-storage-plus layout (values are JSON, as a Rust contract would store them):
//
//   config                                  Item  {"nft_contract","denom","fee_bps","fee_recipient"}
//   listings            token_id            Map   Listing {"token_id","seller","price","expires","created_at"}
//   listings_by_seller  (seller, token_id)  Map   {} (index)
//   offers              (token_id, bidder)  Map   Offer {"token_id","bidder","amount","expires","created_at"}
//   offers_by_bidder    (bidder, token_id)  Map   {} (index)
//   contract_info                           Item  cw2 {"contract","version"}
//
// A listing is a price for an NFT its seller keeps (approved to this contract); every offer is `amount`
// of `denom` held by this contract.
// The indexes are written and removed together with their primary entry.
import { Fields, Item, JsonValue, JsonWriter, Map, Slot, Uint128, panic, utf8 } from "../../sdk";
import { Expiration, expirationField } from "../../sdk/expiration";

export const CONFIG = new Item("config");
export const LISTINGS = new Map("listings");
export const LISTINGS_BY_SELLER = new Map("listings_by_seller");
export const OFFERS = new Map("offers");
export const OFFERS_BY_BIDDER = new Map("offers_by_bidder");

/** The value of an index entry (cw-storage-plus `Empty`). */
const EMPTY = "{}";

export class Config {
  constructor(
    public nft_contract: string,
    public denom: string,
    public fee_bps: u32,
    public fee_recipient: string,
  ) {}

  toJson(): string {
    return new JsonWriter()
      .beginObject()
      .fieldString("nft_contract", this.nft_contract)
      .fieldString("denom", this.denom)
      .fieldU64("fee_bps", this.fee_bps)
      .fieldString("fee_recipient", this.fee_recipient)
      .endObject()
      .toString();
  }

  save(): void {
    CONFIG.saveJson(this.toJson());
  }

  static load(): Config {
    const v = CONFIG.loadJson();
    if (v === null) panic("config not found");
    const f = new Fields(v, "Config", false);
    const c = new Config(f.string("nft_contract"), f.string("denom"), f.u32("fee_bps"), f.string("fee_recipient"));
    const err = f.done();
    if (err !== null) panic("corrupt config: " + err);
    return c;
  }
}

export class Listing {
  constructor(
    public token_id: string,
    public seller: string,
    public price: Uint128,
    public expires: Expiration,
    /** Block time (nanos) of the listing. */
    public created_at: u64,
  ) {}

  /** The stored JSON; `expired` (queries only) adds the flag computed for the current block. */
  toJson(expired: i32 = -1): string {
    const w = new JsonWriter()
      .beginObject()
      .fieldString("token_id", this.token_id)
      .fieldString("seller", this.seller)
      .fieldString("price", this.price.toString())
      .fieldRaw("expires", this.expires.toJson())
      .fieldString("created_at", this.created_at.toString());
    if (expired >= 0) w.fieldBool("expired", expired == 1);
    return w.endObject().toString();
  }

  static fromJson(v: JsonValue): Listing {
    const f = new Fields(v, "Listing", false);
    const l = new Listing(f.string("token_id"), f.string("seller"), f.uint128("price"), expirationField(f, "expires"), f.u64String("created_at"));
    const err = f.done();
    if (err !== null) panic("corrupt listing: " + err);
    return l;
  }

  static load(tokenId: string): Listing | null {
    const v = LISTINGS.at(tokenId).loadJson();
    return v === null ? null : Listing.fromJson(v);
  }

  save(): void {
    LISTINGS.at(this.token_id).saveJson(this.toJson());
    sellerIndex(this.seller, this.token_id).saveJson(EMPTY);
  }

  remove(): void {
    LISTINGS.at(this.token_id).remove();
    sellerIndex(this.seller, this.token_id).remove();
  }
}

export class Offer {
  constructor(
    public token_id: string,
    public bidder: string,
    public amount: Uint128,
    public expires: Expiration,
    public created_at: u64,
  ) {}

  toJson(expired: i32 = -1): string {
    const w = new JsonWriter()
      .beginObject()
      .fieldString("token_id", this.token_id)
      .fieldString("bidder", this.bidder)
      .fieldString("amount", this.amount.toString())
      .fieldRaw("expires", this.expires.toJson())
      .fieldString("created_at", this.created_at.toString());
    if (expired >= 0) w.fieldBool("expired", expired == 1);
    return w.endObject().toString();
  }

  static fromJson(v: JsonValue): Offer {
    const f = new Fields(v, "Offer", false);
    const o = new Offer(f.string("token_id"), f.string("bidder"), f.uint128("amount"), expirationField(f, "expires"), f.u64String("created_at"));
    const err = f.done();
    if (err !== null) panic("corrupt offer: " + err);
    return o;
  }

  static load(tokenId: string, bidder: string): Offer | null {
    const v = offerSlot(tokenId, bidder).loadJson();
    return v === null ? null : Offer.fromJson(v);
  }

  save(): void {
    offerSlot(this.token_id, this.bidder).saveJson(this.toJson());
    bidderIndex(this.bidder, this.token_id).saveJson(EMPTY);
  }

  remove(): void {
    offerSlot(this.token_id, this.bidder).remove();
    bidderIndex(this.bidder, this.token_id).remove();
  }
}

function sellerIndex(seller: string, tokenId: string): Slot {
  return LISTINGS_BY_SELLER.atParts([utf8(seller), utf8(tokenId)]);
}

function offerSlot(tokenId: string, bidder: string): Slot {
  return OFFERS.atParts([utf8(tokenId), utf8(bidder)]);
}

function bidderIndex(bidder: string, tokenId: string): Slot {
  return OFFERS_BY_BIDDER.atParts([utf8(bidder), utf8(tokenId)]);
}
