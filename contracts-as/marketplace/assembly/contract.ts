// marketplace: fixed-price listings and offers for the model NFTs of one cw721 collection (model-nft).
//
// * A seller lists by `send_nft` to this contract with msg {"list":{"price","expires"}}: the NFT is held in
//   escrow until it is bought, the listing is cancelled, or (once expired) anyone closes it.
// * A bidder escrows coins with `make_offer`; the owner accepts with `send_nft` msg {"accept_offer":{"bidder"}}
//   or, for a listed token, the seller with execute `accept_offer`. The bidder can always cancel; anyone
//   can refund an expired offer.
// * Every sale pays the creator royalty (the nft contract's `royalty_info`, capped by the price), then the
//   marketplace fee (fee_bps of the price, capped by what is left), then the seller gets the rest.
//
// Messages, queries, events and errors are listed in contracts-as/marketplace/README.md. Every message
// rejects unknown fields, and every message except `buy` and `make_offer` rejects funds (so no coins can
// get stuck here).
import {
  addrValidate,
  BankMsg,
  coin128,
  CosmosMsg,
  Env,
  Fields,
  jsonString,
  JsonValue,
  JsonWriter,
  MessageInfo,
  parseJsonBytes,
  querySmart,
  Response,
  Result,
  Uint128,
  utf8,
  variantOf,
  WasmMsg,
} from "../../sdk";
import { optExpiration } from "../../sdk/expiration";
import { setContractVersion, assertContract, getContractVersion } from "../../sdk/cw2";
import { bpsOf, minU128, mustPay, nonpayable, sub } from "../../sdk/funds";
import { pageLimit } from "../../sdk/iter";
import { Config, Listing, LISTINGS, LISTINGS_BY_SELLER, Offer, OFFERS, OFFERS_BY_BIDDER } from "./state";

export const CONTRACT_NAME = "crates.io:soa-marketplace";
export const CONTRACT_VERSION = "0.1.0";
/** Highest marketplace fee: 10 %. */
export const MAX_FEE_BPS: u32 = 1000;

// Error texts (clients match on them).
export const ERR_UNAUTHORIZED = "Unauthorized";
export const ERR_NOT_LISTED = "Token not listed";
export const ERR_ALREADY_LISTED = "Token already listed";
export const ERR_LISTING_EXPIRED = "Listing expired";
export const ERR_LISTING_NOT_EXPIRED = "Listing not expired";
export const ERR_OFFER_NOT_FOUND = "Offer not found";
export const ERR_OFFER_EXPIRED = "Offer expired";
export const ERR_OFFER_NOT_EXPIRED = "Offer not expired";
export const ERR_ALREADY_EXPIRED = "Expiration already passed";
export const ERR_ZERO_PRICE = "Price must be greater than zero";
export const ERR_OWN_LISTING = "Cannot buy your own listing";
export const ERR_OWN_TOKEN = "Cannot make an offer on your own token";
export const ERR_OWN_OFFER = "Cannot accept your own offer";

function err(msg: string): Result<Response> {
  return Result.err<Response>(msg);
}

function unknownVariant(what: string, expected: string): string {
  return "Error parsing into type " + what + ": unknown variant, expected one of " + expected;
}

// ------------------------------------------------------------------------------------------------
// instantiate {"nft_contract","denom","fee_bps","fee_recipient":null|addr}

export function handleInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const f = new Fields(msg, "InstantiateMsg");
  const nft = f.string("nft_contract");
  const denom = f.string("denom");
  const feeBps = f.u32("fee_bps");
  const feeRecipient = f.optString("fee_recipient");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const bad = addrValidate(nft);
  if (bad !== null) return err("Invalid nft_contract: " + bad);
  if (denom.length == 0) return err("Invalid denom: empty");
  if (feeBps > MAX_FEE_BPS) return err("Fee above cap: fee_bps " + feeBps.toString() + " > " + MAX_FEE_BPS.toString());
  const recipient = feeRecipient !== null ? feeRecipient : info.sender;
  if (feeRecipient !== null) {
    const badR = addrValidate(feeRecipient);
    if (badR !== null) return err("Invalid fee_recipient: " + badR);
  }
  new Config(nft, denom, feeBps, recipient).save();
  setContractVersion(CONTRACT_NAME, CONTRACT_VERSION);
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "instantiate")
      .addAttribute("nft_contract", nft)
      .addAttribute("denom", denom)
      .addAttribute("fee_bps", feeBps.toString())
      .addAttribute("fee_recipient", recipient),
  );
}

// ------------------------------------------------------------------------------------------------
// execute

export function handleExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  if (v === null) return err("Error parsing into type ExecuteMsg: expected an enum variant");
  const body = msg.get(v);
  if (v == "receive_nft") return receiveNft(env, info, body);
  if (v == "buy") return buy(env, info, body);
  if (v == "cancel_listing") return cancelListing(env, info, body);
  if (v == "close_expired") return closeExpired(env, info, body);
  if (v == "make_offer") return makeOffer(env, info, body);
  if (v == "accept_offer") return acceptListedOffer(env, info, body);
  if (v == "cancel_offer") return cancelOffer(env, info, body);
  if (v == "refund_expired_offer") return refundExpiredOffer(env, info, body);
  return err(
    unknownVariant(
      "ExecuteMsg",
      "`receive_nft`, `buy`, `cancel_listing`, `close_expired`, `make_offer`, `accept_offer`, `cancel_offer`, `refund_expired_offer`",
    ),
  );
}

/** cw721 Cw721ReceiveMsg {"sender","token_id","msg"} from the configured nft contract. */
function receiveNft(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "Cw721ReceiveMsg");
  const sender = f.string("sender");
  const tokenId = f.string("token_id");
  const inner = f.binary("msg");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const cfg = Config.load();
  if (info.sender != cfg.nft_contract) return err(ERR_UNAUTHORIZED + ": only the configured nft contract can send NFTs here");
  const p = parseJsonBytes(inner);
  const hook = p.value;
  if (hook === null) return err("Error parsing into type ReceiveMsg: " + p.error!);
  if (Listing.load(tokenId) !== null) return err(ERR_ALREADY_LISTED); // cannot happen with a sane cw721
  const v = variantOf(hook);
  if (v == "list") return receiveList(env, cfg, sender, tokenId, hook.get("list"));
  if (v == "accept_offer") return receiveAcceptOffer(env, cfg, sender, tokenId, hook.get("accept_offer"));
  return err(unknownVariant("ReceiveMsg", "`list`, `accept_offer`"));
}

function receiveList(env: Env, cfg: Config, seller: string, tokenId: string, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ReceiveMsg::List");
  const price = f.uint128("price");
  const expires = optExpiration(f, "expires");
  const e = f.done();
  if (e !== null) return err(e);
  if (price.isZero()) return err(ERR_ZERO_PRICE);
  if (expires.isExpired(env.block)) return err(ERR_ALREADY_EXPIRED);
  const listing = new Listing(tokenId, seller, price, expires, env.block.time);
  listing.save();
  return Result.ok<Response>(
    new Response()
      .addAttribute("action", "list")
      .addAttribute("token_id", tokenId)
      .addAttribute("seller", seller)
      .addAttribute("price", price.toString() + cfg.denom)
      .addAttribute("expires", expires.toString()),
  );
}

/** The owner sent the (unlisted) token with msg {"accept_offer":{"bidder"}}: sell it to the bidder. */
function receiveAcceptOffer(env: Env, cfg: Config, seller: string, tokenId: string, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ReceiveMsg::AcceptOffer");
  const bidder = f.string("bidder");
  const e = f.done();
  if (e !== null) return err(e);
  return acceptOffer(env, cfg, seller, tokenId, bidder);
}

function buy(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::Buy");
  const tokenId = f.string("token_id");
  const e = f.done();
  if (e !== null) return err(e);
  const cfg = Config.load();
  const listing = Listing.load(tokenId);
  if (listing === null) return err(ERR_NOT_LISTED);
  if (listing.expires.isExpired(env.block)) return err(ERR_LISTING_EXPIRED);
  if (info.sender == listing.seller) return err(ERR_OWN_LISTING);
  const paid = mustPay(info, cfg.denom);
  if (!paid.isOk) return err(paid.error!);
  if (paid.value!.cmp(listing.price) != 0) {
    return err("Wrong price: expected " + listing.price.toString() + cfg.denom + ", got " + paid.value!.toString() + cfg.denom);
  }
  listing.remove();
  const res = new Response().addAttribute("action", "buy");
  const settled = settleSale(cfg, res, tokenId, listing.seller, info.sender, listing.price);
  if (settled !== null) return err(settled);
  return Result.ok<Response>(res);
}

function cancelListing(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::CancelListing");
  const tokenId = f.string("token_id");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const listing = Listing.load(tokenId);
  if (listing === null) return err(ERR_NOT_LISTED);
  if (info.sender != listing.seller) return err(ERR_UNAUTHORIZED);
  return returnListed(Config.load(), listing, "cancel_listing", info.sender);
}

function closeExpired(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::CloseExpired");
  const tokenId = f.string("token_id");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const listing = Listing.load(tokenId);
  if (listing === null) return err(ERR_NOT_LISTED);
  if (!listing.expires.isExpired(env.block)) return err(ERR_LISTING_NOT_EXPIRED);
  return returnListed(Config.load(), listing, "close_expired", info.sender);
}

/** Removes a listing and sends the escrowed NFT back to its seller. */
function returnListed(cfg: Config, listing: Listing, action: string, sender: string): Result<Response> {
  listing.remove();
  return Result.ok<Response>(
    new Response()
      .addMessage(transferNft(cfg, listing.seller, listing.token_id))
      .addAttribute("action", action)
      .addAttribute("sender", sender)
      .addAttribute("token_id", listing.token_id)
      .addAttribute("seller", listing.seller),
  );
}

function makeOffer(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::MakeOffer");
  const tokenId = f.string("token_id");
  const expires = optExpiration(f, "expires");
  const e = f.done();
  if (e !== null) return err(e);
  const cfg = Config.load();
  const paid = mustPay(info, cfg.denom);
  if (!paid.isOk) return err(paid.error!);
  if (expires.isExpired(env.block)) return err(ERR_ALREADY_EXPIRED);
  // The token must exist; its owner (or, if it is listed here, its seller) cannot bid on it.
  const listing = Listing.load(tokenId);
  let owner: string;
  if (listing !== null) {
    owner = listing.seller;
  } else {
    const o = ownerOf(cfg, tokenId);
    if (!o.isOk) return err(o.error!);
    owner = o.value!;
  }
  if (owner == info.sender) return err(ERR_OWN_TOKEN);

  const res = new Response();
  const previous = Offer.load(tokenId, info.sender);
  if (previous !== null) {
    // One open offer per bidder and token: the new one replaces the old, whose coins go back.
    res.addMessage(BankMsg.send(info.sender, [coin128(previous.amount, cfg.denom)]));
  }
  new Offer(tokenId, info.sender, paid.value!, expires, env.block.time).save();
  res
    .addAttribute("action", "make_offer")
    .addAttribute("token_id", tokenId)
    .addAttribute("bidder", info.sender)
    .addAttribute("amount", paid.value!.toString() + cfg.denom)
    .addAttribute("expires", expires.toString());
  if (previous !== null) res.addAttribute("refunded", previous.amount.toString() + cfg.denom);
  return Result.ok<Response>(res);
}

/** execute {"accept_offer":{"token_id","bidder"}}: the seller of a listed (escrowed) token accepts an offer. */
function acceptListedOffer(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::AcceptOffer");
  const tokenId = f.string("token_id");
  const bidder = f.string("bidder");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const listing = Listing.load(tokenId);
  if (listing === null) return err(ERR_NOT_LISTED + ": the owner accepts with send_nft and msg {\"accept_offer\":{\"bidder\"}}");
  if (info.sender != listing.seller) return err(ERR_UNAUTHORIZED);
  const r = acceptOffer(env, Config.load(), listing.seller, tokenId, bidder);
  if (r.isOk) listing.remove(); // only after acceptOffer's checks passed (an error reverts everything anyway)
  return r;
}

/** Sells the escrowed `tokenId` from `seller` to `bidder` at the bidder's offer. */
function acceptOffer(env: Env, cfg: Config, seller: string, tokenId: string, bidder: string): Result<Response> {
  const offer = Offer.load(tokenId, bidder);
  if (offer === null) return err(ERR_OFFER_NOT_FOUND);
  if (offer.expires.isExpired(env.block)) return err(ERR_OFFER_EXPIRED);
  if (bidder == seller) return err(ERR_OWN_OFFER);
  offer.remove();
  const res = new Response().addAttribute("action", "accept_offer");
  const settled = settleSale(cfg, res, tokenId, seller, bidder, offer.amount);
  if (settled !== null) return err(settled);
  return Result.ok<Response>(res);
}

function cancelOffer(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::CancelOffer");
  const tokenId = f.string("token_id");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const offer = Offer.load(tokenId, info.sender);
  if (offer === null) return err(ERR_OFFER_NOT_FOUND);
  return refundOffer(Config.load(), offer, "cancel_offer", info.sender);
}

function refundExpiredOffer(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::RefundExpiredOffer");
  const tokenId = f.string("token_id");
  const bidder = f.string("bidder");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const offer = Offer.load(tokenId, bidder);
  if (offer === null) return err(ERR_OFFER_NOT_FOUND);
  if (!offer.expires.isExpired(env.block)) return err(ERR_OFFER_NOT_EXPIRED);
  return refundOffer(Config.load(), offer, "refund_expired_offer", info.sender);
}

function refundOffer(cfg: Config, offer: Offer, action: string, sender: string): Result<Response> {
  offer.remove();
  return Result.ok<Response>(
    new Response()
      .addMessage(BankMsg.send(offer.bidder, [coin128(offer.amount, cfg.denom)]))
      .addAttribute("action", action)
      .addAttribute("sender", sender)
      .addAttribute("token_id", offer.token_id)
      .addAttribute("bidder", offer.bidder)
      .addAttribute("amount", offer.amount.toString() + cfg.denom),
  );
}

// ------------------------------------------------------------------------------------------------
// Sales

/** Payments to distinct recipients (amounts to the same address are merged into one BankMsg). */
class Payouts {
  to: string[] = [];
  amounts: Uint128[] = [];
  add(addr: string, amount: Uint128): void {
    if (amount.isZero()) return;
    for (let i = 0; i < this.to.length; i++) {
      if (this.to[i] == addr) {
        this.amounts[i] = this.amounts[i].checkedAdd(amount)!; // parts of one price: cannot overflow
        return;
      }
    }
    this.to.push(addr);
    this.amounts.push(amount);
  }
}

/**
 * Splits `price` (already held by this contract) into royalty, fee and seller proceeds, and transfers the
 * escrowed NFT to `buyer`. Adds the messages and attributes to `res`; returns an error text or null.
 */
function settleSale(cfg: Config, res: Response, tokenId: string, seller: string, buyer: string, price: Uint128): string | null {
  const q = querySmart(
    cfg.nft_contract,
    '{"royalty_info":{"token_id":' + jsonString(tokenId) + ',"sale_price":"' + price.toString() + '"}}',
  );
  if (!q.isOk) return "Royalty query failed: " + q.error!;
  const rf = new Fields(q.value, "RoyaltiesInfoResponse", false);
  const royaltyTo = rf.string("address");
  let royalty = rf.uint128("royalty_amount");
  const re = rf.done();
  if (re !== null) return "Royalty query failed: " + re;
  royalty = minU128(royalty, price);
  if (!royalty.isZero() && royaltyTo.length == 0) return "Royalty query failed: royalty without a recipient";
  const afterRoyalty = sub(price, royalty);
  const fee = minU128(bpsOf(price, cfg.fee_bps), afterRoyalty);
  const proceeds = sub(afterRoyalty, fee);

  const pay = new Payouts();
  pay.add(royaltyTo, royalty);
  pay.add(cfg.fee_recipient, fee);
  pay.add(seller, proceeds);
  for (let i = 0; i < pay.to.length; i++) res.addMessage(BankMsg.send(pay.to[i], [coin128(pay.amounts[i], cfg.denom)]));
  res.addMessage(transferNft(cfg, buyer, tokenId));
  res
    .addAttribute("token_id", tokenId)
    .addAttribute("seller", seller)
    .addAttribute("buyer", buyer)
    .addAttribute("price", price.toString() + cfg.denom)
    .addAttribute("royalty", royalty.toString() + cfg.denom)
    .addAttribute("royalty_recipient", royaltyTo)
    .addAttribute("fee", fee.toString() + cfg.denom)
    .addAttribute("seller_amount", proceeds.toString() + cfg.denom);
  return null;
}

function transferNft(cfg: Config, recipient: string, tokenId: string): CosmosMsg {
  return WasmMsg.execute(
    cfg.nft_contract,
    '{"transfer_nft":{"recipient":' + jsonString(recipient) + ',"token_id":' + jsonString(tokenId) + "}}",
  );
}

/** cw721 owner_of → the owner's address (the nft contract's error, e.g. token not found, otherwise). */
function ownerOf(cfg: Config, tokenId: string): Result<string> {
  const q = querySmart(cfg.nft_contract, '{"owner_of":{"token_id":' + jsonString(tokenId) + "}}");
  if (!q.isOk) return Result.err<string>(q.error!);
  const f = new Fields(q.value, "OwnerOfResponse", false);
  const owner = f.string("owner");
  const e = f.done();
  if (e !== null) return Result.err<string>(e);
  return Result.ok<string>(owner);
}

// ------------------------------------------------------------------------------------------------
// query

export function handleQuery(env: Env, msg: JsonValue): Result<string> {
  const v = variantOf(msg);
  if (v === null) return Result.err<string>("Error parsing into type QueryMsg: expected an enum variant");
  const body = msg.get(v);
  if (v == "config") {
    const e = new Fields(body, "QueryMsg::Config").done();
    if (e !== null) return Result.err<string>(e);
    return Result.ok<string>(Config.load().toJson());
  }
  if (v == "listing") {
    const f = new Fields(body, "QueryMsg::Listing");
    const tokenId = f.string("token_id");
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    const l = Listing.load(tokenId);
    return Result.ok<string>(l === null ? "null" : listingJson(env, l));
  }
  if (v == "listings") {
    const f = new Fields(body, "QueryMsg::Listings");
    const startAfter = f.optString("start_after");
    const hasLimit = f.has("limit");
    const limit = f.optU64("limit", 0);
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    const kvs = LISTINGS.rangeAfter(startAfter === null ? null : utf8(startAfter), pageLimit(limit, hasLimit));
    const w = new JsonWriter().beginObject().key("listings").beginArray();
    for (let i = 0; i < kvs.length; i++) {
      const p = parseJsonBytes(kvs[i].value);
      w.elem().raw(listingJson(env, Listing.fromJson(p.value!)));
    }
    return Result.ok<string>(w.endArray().endObject().toString());
  }
  if (v == "listings_by_seller") {
    const f = new Fields(body, "QueryMsg::ListingsBySeller");
    const seller = f.string("seller");
    const startAfter = f.optString("start_after");
    const hasLimit = f.has("limit");
    const limit = f.optU64("limit", 0);
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    const ids = LISTINGS_BY_SELLER.prefix([utf8(seller)]).keysAfterString(startAfter, pageLimit(limit, hasLimit));
    const w = new JsonWriter().beginObject().key("listings").beginArray();
    for (let i = 0; i < ids.length; i++) {
      const l = Listing.load(ids[i]);
      if (l !== null) w.elem().raw(listingJson(env, l));
    }
    return Result.ok<string>(w.endArray().endObject().toString());
  }
  if (v == "offers") {
    const f = new Fields(body, "QueryMsg::Offers");
    const tokenId = f.string("token_id");
    const startAfter = f.optString("start_after");
    const hasLimit = f.has("limit");
    const limit = f.optU64("limit", 0);
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    const kvs = OFFERS.prefix([utf8(tokenId)]).rangeAfter(startAfter === null ? null : utf8(startAfter), pageLimit(limit, hasLimit));
    const w = new JsonWriter().beginObject().key("offers").beginArray();
    for (let i = 0; i < kvs.length; i++) {
      const p = parseJsonBytes(kvs[i].value);
      w.elem().raw(offerJson(env, Offer.fromJson(p.value!)));
    }
    return Result.ok<string>(w.endArray().endObject().toString());
  }
  if (v == "offers_by_bidder") {
    const f = new Fields(body, "QueryMsg::OffersByBidder");
    const bidder = f.string("bidder");
    const startAfter = f.optString("start_after");
    const hasLimit = f.has("limit");
    const limit = f.optU64("limit", 0);
    const e = f.done();
    if (e !== null) return Result.err<string>(e);
    const ids = OFFERS_BY_BIDDER.prefix([utf8(bidder)]).keysAfterString(startAfter, pageLimit(limit, hasLimit));
    const w = new JsonWriter().beginObject().key("offers").beginArray();
    for (let i = 0; i < ids.length; i++) {
      const o = Offer.load(ids[i], bidder);
      if (o !== null) w.elem().raw(offerJson(env, o));
    }
    return Result.ok<string>(w.endArray().endObject().toString());
  }
  if (v == "contract_info") {
    const e = new Fields(body, "QueryMsg::ContractInfo").done();
    if (e !== null) return Result.err<string>(e);
    const cv = getContractVersion();
    return Result.ok<string>(cv === null ? "null" : cv.toJson());
  }
  return Result.err<string>(
    unknownVariant("QueryMsg", "`config`, `listing`, `listings`, `listings_by_seller`, `offers`, `offers_by_bidder`, `contract_info`"),
  );
}

function listingJson(env: Env, l: Listing): string {
  return l.toJson(l.expires.isExpired(env.block) ? 1 : 0);
}

function offerJson(env: Env, o: Offer): string {
  return o.toJson(o.expires.isExpired(env.block) ? 1 : 0);
}

// ------------------------------------------------------------------------------------------------
// migrate {}: same contract only; records the new version.

export function handleMigrate(env: Env, msg: JsonValue): Result<Response> {
  const e = new Fields(msg, "MigrateMsg").done();
  if (e !== null) return err(e);
  const bad = assertContract(CONTRACT_NAME);
  if (bad !== null) return err(bad);
  setContractVersion(CONTRACT_NAME, CONTRACT_VERSION);
  return Result.ok<Response>(new Response().addAttribute("action", "migrate").addAttribute("version", CONTRACT_VERSION));
}
