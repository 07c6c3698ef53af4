// as-pect tests of every licensing execute / sudo / query path, including the rejections. The host is
// mocked by licensing/as-pect.config.js: storage with iteration, addr_validate, and a fake cw721 contract
// (wasm1nftcontract) answering owner_of / nft_info for the tokens set here through `mock.set_token`.
import { execute, instantiate, migrate, query, sudo } from "../assembly/index";
import { JsonValue, base64Decode, fromUtf8, parseJson, readRegionString, regionFromString } from "../../sdk";
export { allocate } from "../../sdk/exports"; // the mock host allocates result Regions through it

@external("mock", "set_token")
declare function mockSetToken(id: u32, owner: u32, extension: u32): void;
@external("mock", "remove_token")
declare function mockRemoveToken(id: u32): void;
@external("mock", "reset")
declare function mockReset(): void;

const NFT = "wasm1nftcontract";
const PROTO = "wasm1protocol";
const OWNER = "wasm1owner";
const BUYER = "wasm1buyer";
const OTHER = "wasm1other";
const P1_OWNER = "wasm1parentone";
const P2_OWNER = "wasm1parenttwo";
const METER = "wasm1meter";
const DENOM = "usoa";
const SECOND: u64 = 1_000_000_000;

let now: u64 = 1_767_225_600 * SECOND;

function setToken(id: string, owner: string, parents: string[], royaltyBps: u32): void {
  const ps: string[] = [];
  for (let i = 0; i < parents.length; i++) ps.push('"' + parents[i] + '"');
  const ext =
    '{"name":"' + id + '","version":"1","task":"text-generation","format":"gguf","weights_sha256":"' +
    "ab".repeat(32) + '","engine":"llama.cpp","dtype":"q4","uri":"ipfs://x","parents":[' + ps.join(",") +
    '],"verification":{"scheme":"EXACT","tolerance":"0"},"royalty_bps":' + royaltyBps.toString() +
    ',"creator":"' + owner + '","created_at":"1"}';
  mockSetToken(<u32>regionFromString(id), <u32>regionFromString(owner), <u32>regionFromString(ext));
}

function removeToken(id: string): void {
  mockRemoveToken(<u32>regionFromString(id));
}

function envJson(): string {
  return (
    '{"block":{"height":100,"time":"' + now.toString() +
    '","chain_id":"soa-test"},"transaction":{"index":0},"contract":{"address":"wasm1licensing"}}'
  );
}

function infoJson(sender: string, amount: string): string {
  const funds = amount == "" ? "[]" : '[{"denom":"' + DENOM + '","amount":"' + amount + '"}]';
  return '{"sender":"' + sender + '","funds":' + funds + "}";
}

function parse(s: string): JsonValue {
  const p = parseJson(s);
  if (p.value === null) throw new Error("bad JSON: " + s);
  return p.value!;
}

function resultOf(region: u32): JsonValue {
  return parse(readRegionString(<usize>region));
}

function inst(msg: string, sender: string = OWNER, amount: string = ""): JsonValue {
  return resultOf(instantiate(<u32>regionFromString(envJson()), <u32>regionFromString(infoJson(sender, amount)), <u32>regionFromString(msg)));
}

function exec(sender: string, msg: string, amount: string = ""): JsonValue {
  return resultOf(execute(<u32>regionFromString(envJson()), <u32>regionFromString(infoJson(sender, amount)), <u32>regionFromString(msg)));
}

function runSudo(msg: string): JsonValue {
  return resultOf(sudo(<u32>regionFromString(envJson()), <u32>regionFromString(msg)));
}

/** The error text, or "" on success. */
function errorOf(r: JsonValue): string {
  const e = r.get("error");
  return e === null ? "" : e.text;
}

function mustOk(r: JsonValue): JsonValue {
  const e = r.get("error");
  if (e !== null) throw new Error("unexpected error: " + e.text);
  return r.get("ok")!;
}

/** The query answer as compact JSON text. */
function q(msg: string): string {
  const r = resultOf(query(<u32>regionFromString(envJson()), <u32>regionFromString(msg)));
  const e = r.get("error");
  if (e !== null) return "ERROR: " + e.text;
  return fromUtf8(base64Decode(r.get("ok")!.text)!);
}

function attr(res: JsonValue, key: string): string {
  const attrs = res.get("attributes")!.items;
  for (let i = 0; i < attrs.length; i++) if (attrs[i].get("key")!.text == key) return attrs[i].get("value")!.text;
  return "<none>";
}

/** The response's BankMsg::Send messages as "to:amount,…" (reply_on must be never). */
function sends(res: JsonValue): string {
  const msgs = res.get("messages")!.items;
  const out: string[] = [];
  for (let i = 0; i < msgs.length; i++) {
    expect<string>(msgs[i].get("reply_on")!.text).toBe("never");
    const send = msgs[i].get("msg")!.get("bank")!.get("send")!;
    const coins = send.get("amount")!.items;
    expect<i32>(coins.length).toBe(1);
    expect<string>(coins[0].get("denom")!.text).toBe(DENOM);
    out.push(send.get("to_address")!.text + ":" + coins[0].get("amount")!.text);
  }
  return out.join(",");
}

const PERPETUAL = '{"kind":"perpetual","price":"1000"}';

function publish(offer: string, transferable: bool = false, sender: string = OWNER, model: string = "m1"): JsonValue {
  return exec(
    sender,
    '{"publish_offer":{"model":"' + model + '","offer":' + offer +
      ',"commercial":true,"derivatives":{"allowed":true,"parent_royalty_bps":300},"transferable":' +
      (transferable ? "true" : "false") + "}}",
  );
}

function buy(kind: string, amount: string, sender: string = BUYER, model: string = "m1"): JsonValue {
  return exec(sender, '{"buy_license":{"model":"' + model + '","kind":"' + kind + '"}}', amount);
}

function access(user: string = BUYER, model: string = "m1"): string {
  return q('{"check_access":{"model":"' + model + '","user":"' + user + '"}}');
}

/**
 * Fresh state: model m1 (owner OWNER) derives from p1 (5 %, PARENT1) and p2 (10 %, PARENT2); protocol
 * fee 2 % to PROTO. A payment of 1000 splits 20 / 50 / 100 / 830.
 */
function setup(feeBps: u32 = 200, recipient: string = '"' + PROTO + '"'): void {
  mockReset();
  now = 1_767_225_600 * SECOND;
  setToken("p1", P1_OWNER, [], 500);
  setToken("p2", P2_OWNER, [], 1000);
  setToken("m1", OWNER, ["p1", "p2"], 250);
  mustOk(
    inst(
      '{"nft_contract":"' + NFT + '","protocol_fee_bps":' + feeBps.toString() +
        ',"protocol_fee_recipient":' + recipient + ',"denom":"usoa"}',
    ),
  );
}

describe("instantiate and config", () => {
  it("stores the config and cw2 info", () => {
    setup();
    expect<string>(q('{"config":{}}')).toBe(
      '{"nft_contract":"wasm1nftcontract","protocol_fee_bps":200,"protocol_fee_recipient":"wasm1protocol","denom":"usoa"}',
    );
  });

  it("rejects bad instantiate messages", () => {
    mockReset();
    expect<string>(errorOf(inst('{"nft_contract":"' + NFT + '","protocol_fee_bps":1001,"protocol_fee_recipient":null,"denom":"usoa"}'))).toBe(
      "Protocol fee above 1000 bps",
    );
    expect<string>(errorOf(inst('{"nft_contract":"NOT VALID","protocol_fee_bps":0,"denom":"usoa"}'))).toBe(
      "Invalid nft_contract: invalid address: NOT VALID",
    );
    expect<string>(errorOf(inst('{"nft_contract":"' + NFT + '","protocol_fee_bps":0,"denom":"u"}'))).toBe("Invalid denom: u");
    expect<string>(errorOf(inst('{"nft_contract":"' + NFT + '","protocol_fee_bps":0,"denom":"usoa","extra":1}'))).toBe(
      "Error parsing into type InstantiateMsg: unknown field `extra`",
    );
    expect<string>(errorOf(inst('{"nft_contract":"' + NFT + '","protocol_fee_bps":0,"denom":"usoa"}', OWNER, "5"))).toBe(
      "This message does no accept funds",
    );
  });

  it("migrates only from itself", () => {
    setup();
    const r = resultOf(migrate(<u32>regionFromString(envJson()), <u32>regionFromString("{}")));
    expect<string>(attr(mustOk(r), "action")).toBe("migrate");
  });
});

describe("offers", () => {
  it("only the model's current owner publishes; the offer is stored with the royalty schedule", () => {
    setup();
    expect<string>(errorOf(publish(PERPETUAL, false, OTHER))).toBe("Unauthorized");
    const r = mustOk(publish(PERPETUAL));
    expect<string>(attr(r, "action")).toBe("publish_offer");
    expect<string>(attr(r, "royalty_bps")).toBe("1500");
    expect<string>(q('{"offers":{"model":"m1"}}')).toBe(
      '{"offers":[{"model":"m1","offer":{"kind":"perpetual","price":"1000"},"commercial":true,' +
        '"derivatives":{"allowed":true,"parent_royalty_bps":300},"transferable":false,' +
        '"royalties":[{"token_id":"p1","bps":500},{"token_id":"p2","bps":1000}],"publisher":"wasm1owner",' +
        '"published_at":"' + now.toString() + '"}]}',
    );
    expect<string>(errorOf(publish(PERPETUAL, false, OWNER, "nope"))).toBe("Model nope: Querier contract error: Token not found");
  });

  it("re-publishing replaces the offer of that kind; each kind has its own", () => {
    setup();
    mustOk(publish(PERPETUAL));
    mustOk(publish('{"kind":"perpetual","price":"7"}'));
    mustOk(publish('{"kind":"subscription","price_per_period":"10","period_seconds":60}'));
    mustOk(publish('{"kind":"metered","price_per_call":"3","price_per_1k_units":null,"min_deposit":"100"}'));
    const offers = parse(q('{"offers":{"model":"m1"}}')).get("offers")!.items;
    expect<i32>(offers.length).toBe(3);
    expect<string>(offers[0].get("offer")!.toString()).toBe('{"kind":"perpetual","price":"7"}');
    expect<string>(offers[1].get("offer")!.toString()).toBe('{"kind":"subscription","price_per_period":"10","period_seconds":60}');
    expect<string>(offers[2].get("offer")!.toString()).toBe(
      '{"kind":"metered","price_per_call":"3","price_per_1k_units":null,"min_deposit":"100"}',
    );
  });

  it("rejects invalid offers", () => {
    setup();
    expect<string>(errorOf(publish('{"kind":"perpetual","price":"0"}'))).toBe("Invalid price: must be greater than zero");
    expect<string>(errorOf(publish('{"kind":"subscription","price_per_period":"5","period_seconds":0}'))).toBe("Invalid period_seconds");
    expect<string>(errorOf(publish('{"kind":"subscription","price_per_period":"5","period_seconds":18446744074}'))).toBe(
      "Invalid period_seconds",
    );
    expect<string>(errorOf(publish('{"kind":"metered","price_per_call":"1","price_per_1k_units":"1","min_deposit":"0"}'))).toBe(
      "Exactly one of price_per_call and price_per_1k_units must be set",
    );
    expect<string>(errorOf(publish('{"kind":"metered","min_deposit":"0"}'))).toBe(
      "Exactly one of price_per_call and price_per_1k_units must be set",
    );
    expect<string>(errorOf(publish('{"kind":"metered","price_per_1k_units":"0","min_deposit":"0"}'))).toBe(
      "Invalid price: must be greater than zero",
    );
    expect<string>(errorOf(publish('{"kind":"lease","price":"1"}'))).toBe(
      "Error parsing into type ExecuteMsg::PublishOffer: Error parsing into type OfferPrice: unknown variant `lease`, expected one of `perpetual`, `subscription`, `metered`",
    );
    expect<string>(errorOf(publish('{"kind":"perpetual","price":"1","period_seconds":5}'))).toBe(
      "Error parsing into type ExecuteMsg::PublishOffer: Error parsing into type OfferPrice: unknown field `period_seconds`",
    );
    expect<string>(errorOf(publish('{"kind":"perpetual","price":"-1"}'))).toBe(
      "Error parsing into type ExecuteMsg::PublishOffer: Error parsing into type OfferPrice: invalid Uint128 '-1' (field `price`)",
    );
    expect<string>(
      errorOf(exec(OWNER, '{"publish_offer":{"model":"m1","offer":' + PERPETUAL + ',"commercial":true,"derivatives":null,"transferable":false,"x":1}}')),
    ).toBe("Error parsing into type ExecuteMsg::PublishOffer: unknown field `x`");
    expect<string>(
      errorOf(exec(OWNER, '{"publish_offer":{"model":"m1","offer":' + PERPETUAL + ',"commercial":true,"derivatives":{"allowed":true,"parent_royalty_bps":10001},"transferable":false}}')),
    ).toBe("Invalid parent_royalty_bps: above 10000");
    expect<string>(
      errorOf(exec(OWNER, '{"publish_offer":{"model":"m1","offer":' + PERPETUAL + ',"commercial":true,"derivatives":null,"transferable":false}}', "1")),
    ).toBe("This message does no accept funds");
    expect<string>(q('{"offers":{"model":"m1"}}')).toBe('{"offers":[]}');
  });

  it("rejects a royalty stack above 100 % (parents + protocol fee)", () => {
    setup(1000);
    setToken("a", OTHER, [], 2500);
    setToken("b", OTHER, [], 2500);
    setToken("c", OTHER, [], 2500);
    setToken("d", OTHER, [], 1501);
    setToken("heavy", OWNER, ["a", "b", "c", "d"], 0);
    expect<string>(errorOf(publish(PERPETUAL, false, OWNER, "heavy"))).toBe("Royalty stack above 100%"); // 10 001 bps
    expect<string>(q('{"offers":{"model":"heavy"}}')).toBe('{"offers":[]}');
    setToken("d", OTHER, [], 1500);
    setToken("full", OWNER, ["a", "b", "c", "d"], 0);
    expect<string>(errorOf(publish(PERPETUAL, false, OWNER, "full"))).toBe(""); // exactly 100 %: the owner gets 0
    const r = mustOk(buy("perpetual", "1000", BUYER, "full"));
    expect<string>(sends(r)).toBe("wasm1protocol:100,wasm1other:900");
    expect<string>(attr(r, "owner_amount")).toBe("0");
  });

  it("the protocol fee does not count without a recipient", () => {
    setup(1000, "null");
    setToken("a", OTHER, [], 2500);
    setToken("b", OTHER, [], 2500);
    setToken("c", OTHER, [], 2500);
    setToken("d", OTHER, [], 2500);
    setToken("m", OWNER, ["a", "b", "c", "d"], 0);
    mustOk(publish(PERPETUAL, false, OWNER, "m"));
    expect<string>(sends(mustOk(buy("perpetual", "1000", BUYER, "m")))).toBe("wasm1other:1000");
  });

  it("withdraw_offer: owner only, existing offers only; licences already sold stay", () => {
    setup();
    mustOk(publish(PERPETUAL));
    mustOk(buy("perpetual", "1000"));
    expect<string>(errorOf(exec(OTHER, '{"withdraw_offer":{"model":"m1","kind":"perpetual"}}'))).toBe("Unauthorized");
    expect<string>(errorOf(exec(OWNER, '{"withdraw_offer":{"model":"m1","kind":"metered"}}'))).toBe("Offer not found");
    expect<string>(errorOf(exec(OWNER, '{"withdraw_offer":{"model":"m1","kind":"bogus"}}'))).toBe(
      "Error parsing into type ExecuteMsg::WithdrawOffer: unknown variant `bogus`, expected one of `perpetual`, `subscription`, `metered`",
    );
    expect<string>(attr(mustOk(exec(OWNER, '{"withdraw_offer":{"model":"m1","kind":"perpetual"}}')), "action")).toBe("withdraw_offer");
    expect<string>(q('{"offers":{"model":"m1"}}')).toBe('{"offers":[]}');
    expect<string>(errorOf(buy("perpetual", "1000", OTHER))).toBe("Offer not found");
    expect<string>(access()).toBe('{"allowed":true,"kind":"perpetual","expires_at":null,"credits":"0","price":null}');
  });
});

describe("perpetual licences", () => {
  it("exact price; split to protocol, parents' owners and the model owner in the same response", () => {
    setup();
    mustOk(publish(PERPETUAL));
    expect<string>(access()).toBe('{"allowed":false,"kind":null,"expires_at":null,"credits":"0","price":null}');
    const r = mustOk(buy("perpetual", "1000"));
    expect<string>(sends(r)).toBe("wasm1protocol:20,wasm1parentone:50,wasm1parenttwo:100,wasm1owner:830");
    expect<string>(attr(r, "action")).toBe("buy_license");
    expect<string>(attr(r, "protocol_fee")).toBe("20");
    expect<string>(attr(r, "royalties")).toBe("150");
    expect<string>(attr(r, "owner_amount")).toBe("830");
    expect<string>(access()).toBe('{"allowed":true,"kind":"perpetual","expires_at":null,"credits":"0","price":null}');
    expect<string>(q('{"license":{"model":"m1","user":"wasm1buyer"}}')).toBe(
      '{"model":"m1","user":"wasm1buyer","perpetual":{"price_paid":"1000","purchased_at":"' + now.toString() +
        '","commercial":true,"derivatives":{"allowed":true,"parent_royalty_bps":300},"transferable":false},' +
        '"subscription":null,"metered":null}',
    );
    expect<string>(errorOf(buy("perpetual", "1000"))).toBe("License already held");
  });

  it("rounds every share down and gives the remainder to the owner", () => {
    setup(333);
    setToken("p1", P1_OWNER, [], 777);
    mustOk(publish('{"kind":"perpetual","price":"999"}'));
    // fee floor(999·333/10000) = 33; p1 floor(999·777/10000) = 77; p2 99; owner 999 − 209 = 790
    expect<string>(sends(mustOk(buy("perpetual", "999")))).toBe("wasm1protocol:33,wasm1parentone:77,wasm1parenttwo:99,wasm1owner:790");
  });

  it("rejects wrong payments", () => {
    setup();
    mustOk(publish(PERPETUAL));
    expect<string>(errorOf(buy("perpetual", "999"))).toBe("Insufficient funds: the price is 1000usoa, got 999usoa");
    expect<string>(errorOf(buy("perpetual", "1001"))).toBe("Wrong funds: the price is 1000usoa, got 1001usoa");
    expect<string>(errorOf(buy("perpetual", ""))).toBe("No funds sent");
    const wrongDenom = resultOf(
      execute(
        <u32>regionFromString(envJson()),
        <u32>regionFromString('{"sender":"wasm1buyer","funds":[{"denom":"uatom","amount":"1000"}]}'),
        <u32>regionFromString('{"buy_license":{"model":"m1","kind":"perpetual"}}'),
      ),
    );
    expect<string>(errorOf(wrongDenom)).toBe("Must send reserve token 'usoa'");
    expect<string>(errorOf(buy("metered", "1000"))).toBe("Metered licenses are bought with deposit_credits");
    expect<string>(errorOf(buy("subscription", "1000"))).toBe("Offer not found");
    expect<string>(access()).toBe('{"allowed":false,"kind":null,"expires_at":null,"credits":"0","price":null}');
  });

  it("pays the model's current owner and skips burned parents", () => {
    setup();
    mustOk(publish(PERPETUAL));
    setToken("m1", OTHER, ["p1", "p2"], 250); // the model was sold
    removeToken("p2"); // a parent was burned
    const r = mustOk(buy("perpetual", "1000"));
    expect<string>(sends(r)).toBe("wasm1protocol:20,wasm1parentone:50,wasm1other:930");
    expect<string>(attr(r, "royalty_skipped")).toBe("p2");
    expect<string>(attr(r, "owner")).toBe(OTHER);
  });

  it("merges the shares of one address into one send", () => {
    setup();
    setToken("p1", OWNER, [], 500);
    mustOk(publish(PERPETUAL));
    expect<string>(sends(mustOk(buy("perpetual", "1000")))).toBe("wasm1protocol:20,wasm1owner:880,wasm1parenttwo:100");
  });

  it("a burned model cannot be sold", () => {
    setup();
    mustOk(publish(PERPETUAL));
    removeToken("m1");
    expect<string>(errorOf(buy("perpetual", "1000"))).toBe("Model m1: Querier contract error: Token not found");
  });
});

describe("subscriptions", () => {
  it("n whole periods; extends from the current expiry; expires by block time", () => {
    setup();
    mustOk(publish('{"kind":"subscription","price_per_period":"100","period_seconds":60}', true));
    expect<string>(errorOf(buy("subscription", "99"))).toBe("Insufficient funds: one period costs 100usoa, got 99usoa");
    expect<string>(errorOf(buy("subscription", "250"))).toBe("Wrong funds: pay a whole number of periods of 100usoa, got 250usoa");
    const start = now;
    const r = mustOk(buy("subscription", "300"));
    expect<string>(attr(r, "periods")).toBe("3");
    expect<string>(attr(r, "expires_at")).toBe((start + 180 * SECOND).toString());
    expect<string>(sends(r)).toBe("wasm1protocol:6,wasm1parentone:15,wasm1parenttwo:30,wasm1owner:249");
    expect<string>(access()).toBe(
      '{"allowed":true,"kind":"subscription","expires_at":"' + (start + 180 * SECOND).toString() + '","credits":"0","price":null}',
    );
    now += 100 * SECOND;
    const r2 = mustOk(buy("subscription", "100"));
    expect<string>(attr(r2, "expires_at")).toBe((start + 240 * SECOND).toString()); // from the old expiry
    now = start + 240 * SECOND - 1;
    expect<string>(parse(access()).get("allowed")!.text).toBe("true");
    now = start + 240 * SECOND; // expired exactly at expires_at
    expect<string>(access()).toBe(
      '{"allowed":false,"kind":null,"expires_at":"' + (start + 240 * SECOND).toString() + '","credits":"0","price":null}',
    );
    expect<string>(errorOf(exec(BUYER, '{"transfer_license":{"model":"m1","kind":"subscription","to":"wasm1other"}}'))).toBe(
      "Subscription expired",
    );
    now += 1000 * SECOND;
    const r3 = mustOk(buy("subscription", "100"));
    expect<string>(attr(r3, "expires_at")).toBe((now + 60 * SECOND).toString()); // lapsed: from now
  });

  it("refuses a subscription longer than u64 nanoseconds", () => {
    setup(0);
    mustOk(publish('{"kind":"subscription","price_per_period":"1","period_seconds":18446744073}'));
    expect<string>(errorOf(buy("subscription", "2"))).toBe("Subscription too long");
    expect<string>(errorOf(buy("subscription", "340282366920938463463374607431768211455"))).toBe("Subscription too long");
  });
});

const METERED_CALL = '{"kind":"metered","price_per_call":"7","price_per_1k_units":null,"min_deposit":"100"}';

function deposit(amount: string, user: string = BUYER): JsonValue {
  return exec(user, '{"deposit_credits":{"model":"m1"}}', amount);
}

function charge(units: string, meter: string = METER, user: string = BUYER): JsonValue {
  return exec(meter, '{"charge_usage":{"model":"m1","user":"' + user + '","units":"' + units + '"}}');
}

function credits(user: string = BUYER): string {
  const l = parse(q('{"license":{"model":"m1","user":"' + user + '"}}')).get("metered")!;
  return l.isNull ? "none" : l.get("credits")!.text + "/" + l.get("spent")!.text;
}

describe("metered usage", () => {
  it("deposits (min on the first), authorised meters charge, the split is paid at once", () => {
    setup();
    expect<string>(errorOf(deposit("500"))).toBe("Offer not found");
    mustOk(publish(METERED_CALL));
    expect<string>(errorOf(deposit("99"))).toBe("Insufficient funds: the minimum deposit is 100usoa, got 99usoa");
    const d = mustOk(deposit("100"));
    expect<string>(attr(d, "credits")).toBe("100");
    expect<i32>(d.get("messages")!.items.length).toBe(0); // credits stay in the contract until charged
    expect<string>(attr(mustOk(deposit("1")), "credits")).toBe("101"); // top-ups have no minimum
    expect<string>(access()).toBe('{"allowed":true,"kind":"metered","expires_at":null,"credits":"101","price":"7"}');

    expect<string>(errorOf(charge("1"))).toBe("Unauthorized meter");
    expect<string>(errorOf(exec(OTHER, '{"add_meter":{"model":"m1","meter":"wasm1meter"}}'))).toBe("Unauthorized");
    expect<string>(errorOf(exec(OWNER, '{"add_meter":{"model":"m1","meter":"Bad Meter"}}'))).toBe(
      "Invalid meter: invalid address: Bad Meter",
    );
    mustOk(exec(OWNER, '{"add_meter":{"model":"m1","meter":"wasm1meter"}}'));
    expect<string>(errorOf(exec(OWNER, '{"add_meter":{"model":"m1","meter":"wasm1meter"}}'))).toBe("Meter already authorised");
    expect<string>(q('{"meters":{"model":"m1"}}')).toBe('{"meters":["wasm1meter"]}');

    const c = mustOk(charge("10")); // 70
    expect<string>(attr(c, "cost")).toBe("70");
    expect<string>(attr(c, "credits")).toBe("31");
    expect<string>(sends(c)).toBe("wasm1protocol:1,wasm1parentone:3,wasm1parenttwo:7,wasm1owner:59");
    expect<string>(credits()).toBe("31/70");
    // Double spend: 5 calls (35) > 31 credits; nothing changes.
    expect<string>(errorOf(charge("5"))).toBe("Insufficient credits");
    expect<string>(credits()).toBe("31/70");
    mustOk(charge("4")); // 28
    expect<string>(credits()).toBe("3/98");
    expect<string>(access()).toBe('{"allowed":false,"kind":null,"expires_at":null,"credits":"3","price":"7"}');
    expect<string>(errorOf(charge("1"))).toBe("Insufficient credits");
    expect<string>(errorOf(charge("0"))).toBe("Invalid units: must be greater than zero");
    expect<string>(errorOf(charge("1", METER, OTHER))).toBe("Insufficient credits");
    expect<string>(errorOf(charge("340282366920938463463374607431768211455"))).toBe("Insufficient credits");
  });

  it("sudo settle_usage charges like a meter (no meter needed); per-1k pricing rounds up", () => {
    setup(0);
    mustOk(publish('{"kind":"metered","price_per_1k_units":"2500","min_deposit":"0"}'));
    mustOk(deposit("3000"));
    expect<string>(access()).toBe('{"allowed":true,"kind":"metered","expires_at":null,"credits":"3000","price":"3"}');
    const r = mustOk(runSudo('{"settle_usage":{"model":"m1","user":"wasm1buyer","units":"1001"}}'));
    expect<string>(attr(r, "action")).toBe("settle_usage");
    expect<string>(attr(r, "cost")).toBe("2503"); // ceil(1001 · 2500 / 1000) = ceil(2502.5)
    expect<string>(sends(r)).toBe("wasm1parentone:125,wasm1parenttwo:250,wasm1owner:2128");
    expect<string>(credits()).toBe("497/2503");
    expect<string>(attr(mustOk(runSudo('{"settle_usage":{"model":"m1","user":"wasm1buyer","units":"2"}}')), "cost")).toBe("5");
    expect<string>(credits()).toBe("492/2508");
    // 197 units cost ceil(492.5) = 493 > 492: refused, nothing changes.
    expect<string>(errorOf(runSudo('{"settle_usage":{"model":"m1","user":"wasm1buyer","units":"197"}}'))).toBe("Insufficient credits");
    expect<string>(credits()).toBe("492/2508");
    expect<string>(attr(mustOk(runSudo('{"settle_usage":{"model":"m1","user":"wasm1buyer","units":"196"}}')), "credits")).toBe("2");
  });

  it("withdraw_credits returns unused credits; nothing else can be withdrawn", () => {
    setup();
    mustOk(publish(METERED_CALL));
    expect<string>(errorOf(exec(BUYER, '{"withdraw_credits":{"model":"m1","amount":null}}'))).toBe("Insufficient credits");
    mustOk(deposit("150"));
    expect<string>(errorOf(exec(BUYER, '{"withdraw_credits":{"model":"m1","amount":"151"}}'))).toBe("Insufficient credits");
    expect<string>(errorOf(exec(BUYER, '{"withdraw_credits":{"model":"m1","amount":"0"}}'))).toBe(
      "Invalid amount: must be greater than zero",
    );
    expect<string>(errorOf(exec(OTHER, '{"withdraw_credits":{"model":"m1","amount":"1"}}'))).toBe("Insufficient credits");
    const w = mustOk(exec(BUYER, '{"withdraw_credits":{"model":"m1","amount":"50"}}'));
    expect<string>(sends(w)).toBe("wasm1buyer:50");
    expect<string>(credits()).toBe("100/0");
    // Works even after the offer is withdrawn and the model burned: escrow always has a way out.
    mustOk(exec(OWNER, '{"withdraw_offer":{"model":"m1","kind":"metered"}}'));
    removeToken("m1");
    expect<string>(sends(mustOk(exec(BUYER, '{"withdraw_credits":{"model":"m1"}}')))).toBe("wasm1buyer:100");
    expect<string>(credits()).toBe("0/0");
    // With the credits at zero the next deposit is a first deposit again (minimum applies).
  });

  it("meters of a previous owner stop counting; remove_meter", () => {
    setup();
    mustOk(publish(METERED_CALL));
    mustOk(deposit("100"));
    mustOk(exec(OWNER, '{"add_meter":{"model":"m1","meter":"wasm1meter"}}'));
    mustOk(charge("1"));
    setToken("m1", OTHER, ["p1", "p2"], 250); // sold
    expect<string>(q('{"meters":{"model":"m1"}}')).toBe('{"meters":[]}');
    expect<string>(errorOf(charge("1"))).toBe("Unauthorized meter");
    expect<string>(errorOf(exec(OWNER, '{"remove_meter":{"model":"m1","meter":"wasm1meter"}}'))).toBe("Unauthorized");
    mustOk(exec(OTHER, '{"add_meter":{"model":"m1","meter":"wasm1meter"}}'));
    const c = mustOk(charge("1"));
    expect<string>(attr(c, "owner")).toBe(OTHER);
    expect<string>(errorOf(exec(OTHER, '{"remove_meter":{"model":"m1","meter":"wasm1nometer"}}'))).toBe("Meter not found");
    mustOk(exec(OTHER, '{"remove_meter":{"model":"m1","meter":"wasm1meter"}}'));
    expect<string>(errorOf(charge("1"))).toBe("Unauthorized meter");
    expect<string>(q('{"meters":{"model":"m1"}}')).toBe('{"meters":[]}');
  });

  it("charges need a metered offer and reject funds", () => {
    setup();
    mustOk(publish(METERED_CALL));
    mustOk(deposit("100"));
    mustOk(exec(OWNER, '{"add_meter":{"model":"m1","meter":"wasm1meter"}}'));
    expect<string>(errorOf(exec(METER, '{"charge_usage":{"model":"m1","user":"wasm1buyer","units":"1"}}', "5"))).toBe(
      "This message does no accept funds",
    );
    expect<string>(errorOf(exec(METER, '{"charge_usage":{"model":"m1","user":"wasm1buyer","units":1}}'))).toBe(
      "Error parsing into type ExecuteMsg::ChargeUsage: invalid type: number 1, expected a string",
    );
    mustOk(exec(OWNER, '{"withdraw_offer":{"model":"m1","kind":"metered"}}'));
    expect<string>(errorOf(charge("1"))).toBe("Offer not found");
    expect<string>(errorOf(runSudo('{"settle_usage":{"model":"m1","user":"wasm1buyer","units":"1"}}'))).toBe("Offer not found");
    expect<string>(errorOf(runSudo('{"other":{}}'))).toBe("Error parsing into type SudoMsg: unknown variant, expected one of `settle_usage`");
    expect<string>(parse(access()).get("allowed")!.text).toBe("false");
  });
});

describe("licence transfers", () => {
  it("refuses licences bought from a non-transferable offer", () => {
    setup();
    mustOk(publish(PERPETUAL, false));
    mustOk(buy("perpetual", "1000"));
    expect<string>(errorOf(exec(BUYER, '{"transfer_license":{"model":"m1","kind":"perpetual","to":"wasm1other"}}'))).toBe(
      "License not transferable",
    );
    expect<string>(errorOf(exec(OTHER, '{"transfer_license":{"model":"m1","kind":"perpetual","to":"wasm1buyer"}}'))).toBe(
      "License not found",
    );
  });

  it("moves a transferable licence with its recorded terms; the flag is fixed at purchase", () => {
    setup();
    mustOk(publish(PERPETUAL, true));
    mustOk(buy("perpetual", "1000"));
    mustOk(publish(PERPETUAL, false)); // later offers do not change licences already sold
    expect<string>(errorOf(exec(BUYER, '{"transfer_license":{"model":"m1","kind":"perpetual","to":"wasm1buyer"}}'))).toBe(
      "Cannot transfer a license to its holder",
    );
    expect<string>(errorOf(exec(BUYER, '{"transfer_license":{"model":"m1","kind":"perpetual","to":"NOPE"}}'))).toBe(
      "Invalid recipient: invalid address: NOPE",
    );
    const r = mustOk(exec(BUYER, '{"transfer_license":{"model":"m1","kind":"perpetual","to":"wasm1other"}}'));
    expect<string>(attr(r, "recipient")).toBe(OTHER);
    expect<string>(parse(access()).get("allowed")!.text).toBe("false");
    expect<string>(access(OTHER)).toBe('{"allowed":true,"kind":"perpetual","expires_at":null,"credits":"0","price":null}');
    expect<string>(q('{"license":{"model":"m1","user":"wasm1buyer"}}')).toBe(
      '{"model":"m1","user":"wasm1buyer","perpetual":null,"subscription":null,"metered":null}',
    );
    mustOk(buy("perpetual", "1000")); // non-transferable this time
    expect<string>(errorOf(exec(OTHER, '{"transfer_license":{"model":"m1","kind":"perpetual","to":"wasm1buyer"}}'))).toBe(
      "Recipient already holds this license",
    );
  });

  it("subscriptions and metered credits move too", () => {
    setup();
    mustOk(publish('{"kind":"subscription","price_per_period":"100","period_seconds":60}', true));
    mustOk(publish(METERED_CALL, true));
    mustOk(buy("subscription", "100"));
    mustOk(deposit("120"));
    const s = mustOk(exec(BUYER, '{"transfer_license":{"model":"m1","kind":"subscription","to":"wasm1other"}}'));
    expect<string>(attr(s, "expires_at")).toBe((now + 60 * SECOND).toString());
    const m = mustOk(exec(BUYER, '{"transfer_license":{"model":"m1","kind":"metered","to":"wasm1other"}}'));
    expect<string>(attr(m, "credits")).toBe("120");
    expect<string>(credits(OTHER)).toBe("120/0");
    expect<string>(credits(BUYER)).toBe("none");
    expect<string>(access(OTHER)).toBe(
      '{"allowed":true,"kind":"subscription","expires_at":"' + (now + 60 * SECOND).toString() + '","credits":"120","price":"7"}',
    );
    expect<string>(errorOf(exec(BUYER, '{"transfer_license":{"model":"m1","kind":"metered","to":"wasm1other"}}'))).toBe(
      "License not found",
    );
  });
});

describe("queries", () => {
  it("licenses_by_user pages by model id", () => {
    setup(0);
    const ids = ["a", "b", "c", "d"];
    for (let i = 0; i < ids.length; i++) {
      setToken(ids[i], OWNER, [], 0);
      mustOk(publish(PERPETUAL, false, OWNER, ids[i]));
      mustOk(buy("perpetual", "1000", BUYER, ids[i]));
    }
    mustOk(buy("perpetual", "1000", OTHER, "b"));
    const page = (msg: string): string => {
      const ls = parse(q(msg)).get("licenses")!.items;
      const out: string[] = [];
      for (let i = 0; i < ls.length; i++) out.push(ls[i].get("model")!.text);
      return out.join(",");
    };
    expect<string>(page('{"licenses_by_user":{"user":"wasm1buyer"}}')).toBe("a,b,c,d");
    expect<string>(page('{"licenses_by_user":{"user":"wasm1buyer","start_after":"b","limit":1}}')).toBe("c");
    expect<string>(page('{"licenses_by_user":{"user":"wasm1buyer","start_after":"d","limit":null}}')).toBe("");
    expect<string>(page('{"licenses_by_user":{"user":"wasm1other","start_after":null,"limit":100}}')).toBe("b");
    expect<string>(page('{"licenses_by_user":{"user":"wasm1"}}')).toBe("");
  });

  it("rejects unknown queries and fields", () => {
    setup();
    expect<string>(q('{"nope":{}}')).toBe(
      "ERROR: Error parsing into type QueryMsg: unknown variant `nope`, expected one of `config`, `offers`, `license`, `licenses_by_user`, `meters`, `check_access`",
    );
    expect<string>(q('{"config":{"x":1}}')).toBe("ERROR: Error parsing into type QueryMsg::config: unknown field `x`");
    expect<string>(q('{"check_access":{"model":"m1"}}')).toBe("ERROR: Error parsing into type QueryMsg::check_access: missing field `user`");
    expect<string>(q('{"meters":{"model":"gone"}}')).toBe("ERROR: Model gone: Querier contract error: Token not found");
    expect<bool>(errorOf(exec(BUYER, '{"steal":{}}')).startsWith("Error parsing into type ExecuteMsg: unknown variant")).toBe(true);
  });
});
