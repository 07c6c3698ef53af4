// marketplace: fixed-price listings and offers for the model NFTs of one cw721 collection (model-nft).
//
// * Listings are approval-based (as Stargaze's marketplace): the owner approves this contract on the nft
//   contract (`approve` for the token or `approve_all`), then executes `list`. The owner keeps the NFT (and
//   with it, e.g., the licence revenue the licensing contract pays to a model's owner) until it is sold;
//   `buy` re-checks that the seller still owns it and that this contract is still approved, then moves it
//   with `transfer_nft` as the approved spender. No NFT is ever held here; `send_nft` to this contract is
//   refused (the send is reverted). The seller cancels; anyone removes a listing that is expired or stale
//   (token sold or burnt elsewhere, approval revoked or expired).
// * A bidder escrows coins with `make_offer`; the owner (having approved this contract) accepts with
//   `accept_offer`, which also ends a listing of the token. The bidder can always cancel; anyone can refund
//   an expired offer.
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
import { expirationField, optExpiration } from "../../sdk/expiration";
import { setContractVersion, assertContract, getContractVersion } from "../../sdk/cw2";
import { bpsOf, minU128, mustPay, nonpayable, sub } from "../../sdk/funds";
import { pageLimit } from "../../sdk/iter";
import { Config, Listing, LISTINGS, LISTINGS_BY_SELLER, Offer, OFFERS, OFFERS_BY_BIDDER } from "./state";

export const CONTRACT_NAME = "crates.io:soa-marketplace";
export const CONTRACT_VERSION = "0.2.0";
/** The escrow version (listing = send_nft to this contract), whose listed NFTs migrate gives back. */
export const ESCROW_VERSION = "0.1.0";
/** Highest marketplace fee: 10 %. */
export const MAX_FEE_BPS: u32 = 1000;

// Error texts (clients match on them).
export const ERR_UNAUTHORIZED = "Unauthorized";
export const ERR_NOT_LISTED = "Token not listed";
export const ERR_ALREADY_LISTED = "Token already listed";
export const ERR_LISTING_EXPIRED = "Listing expired";
export const ERR_NOT_APPROVED =
  "Marketplace not approved: approve it on the nft contract first (approve for the token, or approve_all)";
export const ERR_STALE = "Listing is stale";
export const ERR_NOT_STALE = "Listing is not stale: it has not expired, the seller owns the token and the marketplace is approved";
export const ERR_SEND_NOT_SUPPORTED = "Send NFTs is not supported: approve the marketplace and list instead";
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
  if (v == "list") return list(env, info, body);
  if (v == "buy") return buy(env, info, body);
  if (v == "cancel_listing") return cancelListing(env, info, body);
  if (v == "remove_stale_listing") return removeStaleListing(env, info, body);
  if (v == "make_offer") return makeOffer(env, info, body);
  if (v == "accept_offer") return acceptOffer(env, info, body);
  if (v == "cancel_offer") return cancelOffer(env, info, body);
  if (v == "refund_expired_offer") return refundExpiredOffer(env, info, body);
  // cw721 send_nft would make this contract the owner; refusing it reverts the whole send.
  if (v == "receive_nft") return err(ERR_SEND_NOT_SUPPORTED);
  return err(
    unknownVariant(
      "ExecuteMsg",
      "`list`, `buy`, `cancel_listing`, `remove_stale_listing`, `make_offer`, `accept_offer`, `cancel_offer`, `refund_expired_offer`",
    ),
  );
}

/** execute {"list":{"token_id","price","expires"}}: the owner, having approved this contract, lists. */
function list(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::List");
  const tokenId = f.string("token_id");
  const price = f.uint128("price");
  const expires = optExpiration(f, "expires");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  if (price.isZero()) return err(ERR_ZERO_PRICE);
  if (expires.isExpired(env.block)) return err(ERR_ALREADY_EXPIRED);
  const cfg = Config.load();
  const a = tokenAccess(env, cfg, tokenId);
  if (!a.isOk) return err(a.error!);
  const access = a.value!;
  if (access.owner != info.sender) return err(ERR_UNAUTHORIZED + ": only the token's owner can list it");
  if (!access.approved) return err(ERR_NOT_APPROVED);
  const res = new Response();
  const previous = Listing.load(tokenId);
  if (previous !== null) {
    // A live listing by the owner stays (cancel it first); any other is dead (expired, or by an earlier
    // owner) and is replaced.
    if (previous.seller == info.sender && !previous.expires.isExpired(env.block)) return err(ERR_ALREADY_LISTED);
    previous.remove();
  }
  new Listing(tokenId, info.sender, price, expires, env.block.time).save();
  res
    .addAttribute("action", "list")
    .addAttribute("token_id", tokenId)
    .addAttribute("seller", info.sender)
    .addAttribute("price", price.toString() + cfg.denom)
    .addAttribute("expires", expires.toString());
  if (previous !== null) res.addAttribute("replaced_seller", previous.seller);
  return Result.ok<Response>(res);
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
  // The seller kept the token: it must still be theirs, and this contract still allowed to move it.
  const a = tokenAccess(env, cfg, tokenId);
  const stale = staleReason(listing, a);
  if (stale !== null) return err(ERR_STALE + ": " + staleText(stale, a) + "; anyone can remove it with remove_stale_listing");
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
  listing.remove();
  return Result.ok<Response>(listingRemoved(listing, "cancel_listing", info.sender));
}

/**
 * execute {"remove_stale_listing":{"token_id"}}: anyone removes a listing that can no longer be bought:
 * expired, the token burnt or no longer the seller's, or this contract no longer approved for it.
 */
function removeStaleListing(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::RemoveStaleListing");
  const tokenId = f.string("token_id");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const listing = Listing.load(tokenId);
  if (listing === null) return err(ERR_NOT_LISTED);
  let reason: string | null = listing.expires.isExpired(env.block) ? "expired" : null;
  if (reason === null) reason = staleReason(listing, tokenAccess(env, Config.load(), tokenId));
  if (reason === null) return err(ERR_NOT_STALE);
  listing.remove();
  return Result.ok<Response>(listingRemoved(listing, "remove_stale_listing", info.sender).addAttribute("reason", reason));
}

function listingRemoved(listing: Listing, action: string, sender: string): Response {
  return new Response()
    .addAttribute("action", action)
    .addAttribute("sender", sender)
    .addAttribute("token_id", listing.token_id)
    .addAttribute("seller", listing.seller);
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
  // The token must exist; its owner cannot bid on it.
  const o = ownerOf(env, cfg, tokenId);
  if (!o.isOk) return err(o.error!);
  if (o.value!.owner == info.sender) return err(ERR_OWN_TOKEN);

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

/**
 * execute {"accept_offer":{"token_id","bidder"}}: the owner, having approved this contract, sells the
 * token at the bidder's offer. A listing of the token (by anyone) ends with it.
 */
function acceptOffer(env: Env, info: MessageInfo, body: JsonValue | null): Result<Response> {
  const f = new Fields(body, "ExecuteMsg::AcceptOffer");
  const tokenId = f.string("token_id");
  const bidder = f.string("bidder");
  const e = f.done();
  if (e !== null) return err(e);
  const np = nonpayable(info);
  if (np !== null) return err(np);
  const cfg = Config.load();
  const offer = Offer.load(tokenId, bidder);
  if (offer === null) return err(ERR_OFFER_NOT_FOUND);
  if (offer.expires.isExpired(env.block)) return err(ERR_OFFER_EXPIRED);
  if (bidder == info.sender) return err(ERR_OWN_OFFER);
  const a = tokenAccess(env, cfg, tokenId);
  if (!a.isOk) return err(a.error!);
  if (a.value!.owner != info.sender) return err(ERR_UNAUTHORIZED + ": only the token's owner can accept offers");
  if (!a.value!.approved) return err(ERR_NOT_APPROVED);
  offer.remove();
  const listing = Listing.load(tokenId);
  if (listing !== null) listing.remove();
  const res = new Response().addAttribute("action", "accept_offer");
  const settled = settleSale(cfg, res, tokenId, info.sender, bidder, offer.amount);
  if (settled !== null) return err(settled);
  if (listing !== null) res.addAttribute("listing_removed", "true");
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
 * NFT from the seller to `buyer` (transfer_nft as the approved spender; the caller checked the owner and
 * the approval). Adds the messages and attributes to `res`; returns an error text or null.
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

class OwnerOf {
  constructor(
    public owner: string,
    /** Spenders whose approval has not expired at `block`. */
    public spenders: string[],
  ) {}
}

/** cw721 owner_of (include_expired false) → the owner and approved spenders; the nft contract's error otherwise. */
function ownerOf(env: Env, cfg: Config, tokenId: string): Result<OwnerOf> {
  const q = querySmart(cfg.nft_contract, '{"owner_of":{"token_id":' + jsonString(tokenId) + ',"include_expired":false}}');
  if (!q.isOk) return Result.err<OwnerOf>(q.error!);
  const f = new Fields(q.value, "OwnerOfResponse", false);
  const owner = f.string("owner");
  const approvals = f.array("approvals");
  const spenders: string[] = [];
  for (let i = 0; i < approvals.length && f.ok; i++) {
    const af = new Fields(approvals[i], "Approval", false);
    const spender = af.string("spender");
    const expires = expirationField(af, "expires");
    const ae = af.done();
    if (ae !== null) f.fail(ae);
    else if (!expires.isExpired(env.block)) spenders.push(spender); // also if the nft contract ignored include_expired
  }
  const e = f.done();
  if (e !== null) return Result.err<OwnerOf>(e);
  return Result.ok<OwnerOf>(new OwnerOf(owner, spenders));
}

/** Who owns a token, and whether this contract may transfer it now. */
class TokenAccess {
  constructor(
    public owner: string,
    public approved: bool,
  ) {}
}

/**
 * owner_of, then: approved = this contract is an unexpired approved spender of the token, or an unexpired
 * operator of its owner (cw721 `operator` query; its error, "Approval not found", means no).
 */
function tokenAccess(env: Env, cfg: Config, tokenId: string): Result<TokenAccess> {
  const o = ownerOf(env, cfg, tokenId);
  if (!o.isOk) return Result.err<TokenAccess>(o.error!);
  const owner = o.value!.owner;
  const me = env.contract_address;
  let approved = o.value!.spenders.includes(me);
  if (!approved) {
    const q = querySmart(
      cfg.nft_contract,
      '{"operator":{"owner":' + jsonString(owner) + ',"operator":' + jsonString(me) + ',"include_expired":false}}',
    );
    approved = q.isOk;
  }
  return Result.ok<TokenAccess>(new TokenAccess(owner, approved));
}

/** Why a listing can no longer be bought (besides expiry), or null if it can. */
function staleReason(listing: Listing, access: Result<TokenAccess>): string | null {
  if (!access.isOk) return "token_unavailable";
  if (access.value!.owner != listing.seller) return "owner_changed";
  if (!access.value!.approved) return "not_approved";
  return null;
}

function staleText(reason: string, access: Result<TokenAccess>): string {
  if (reason == "token_unavailable") return "the token cannot be read from the nft contract (" + access.error! + ")";
  if (reason == "owner_changed") return "the seller no longer owns the token";
  return "the marketplace is no longer approved for the token";
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
// migrate {}: same contract only; records the new version. From the escrow version (0.1.0), whose listed
// NFTs this contract holds, every listed NFT goes back to its seller and the listings end (list again
// with approve + list); offers are kept.

export function handleMigrate(env: Env, msg: JsonValue): Result<Response> {
  const e = new Fields(msg, "MigrateMsg").done();
  if (e !== null) return err(e);
  const bad = assertContract(CONTRACT_NAME);
  if (bad !== null) return err(bad);
  const from = getContractVersion()!.version;
  const res = new Response().addAttribute("action", "migrate").addAttribute("from_version", from).addAttribute("version", CONTRACT_VERSION);
  if (from == ESCROW_VERSION) {
    const cfg = Config.load();
    const kvs = LISTINGS.rangeAfter(null, -1);
    for (let i = 0; i < kvs.length; i++) {
      const l = Listing.fromJson(parseJsonBytes(kvs[i].value).value!);
      l.remove();
      res.addMessage(transferNft(cfg, l.seller, l.token_id));
    }
    res.addAttribute("returned_nfts", kvs.length.toString());
  }
  setContractVersion(CONTRACT_NAME, CONTRACT_VERSION);
  return Result.ok<Response>(res);
}
