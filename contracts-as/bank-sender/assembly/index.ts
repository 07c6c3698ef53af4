// bank-sender: emits BankMsg::Send / BankMsg::Burn and queries bank balances through query_chain.
// Message shapes are listed in contracts-as/README.md.
import {
  addrValidate,
  BankMsg,
  Coin,

  doExecute,
  doInstantiate,
  doQuery,
  Env,
  Fields,
  JsonValue,
  MessageInfo,
  queryBalance,
  Response,
  Result,
  variantOf,
} from "../../sdk";
export * from "../../sdk/exports";

function handleInstantiate(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const err = new Fields(msg, "InstantiateMsg").done();
  if (err !== null) return Result.err<Response>(err);
  return Result.ok<Response>(new Response().addAttribute("action", "instantiate"));
}

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return doInstantiate(env, info, msg, handleInstantiate);
}

// execute {"send":{"to":"addr","amount":[Coin]}} | {"burn":{"amount":[Coin]}}
function handleExecute(env: Env, info: MessageInfo, msg: JsonValue): Result<Response> {
  const v = variantOf(msg);
  if (v == "send") {
    const f = new Fields(msg.get("send"), "ExecuteMsg::Send");
    const to = f.string("to");
    const amount = f.coins("amount");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    const invalid = addrValidate(to);
    if (invalid !== null) return Result.err<Response>("Invalid recipient: " + invalid);
    return Result.ok<Response>(
      new Response()
        .addMessage(BankMsg.send(to, amount))
        .addAttribute("action", "send")
        .addAttribute("to", to)
        .addAttribute("amount", coinsText(amount)),
    );
  }
  if (v == "burn") {
    const f = new Fields(msg.get("burn"), "ExecuteMsg::Burn");
    const amount = f.coins("amount");
    const err = f.done();
    if (err !== null) return Result.err<Response>(err);
    return Result.ok<Response>(
      new Response()
        .addMessage(BankMsg.burn(amount))
        .addAttribute("action", "burn")
        .addAttribute("amount", coinsText(amount)),
    );
  }
  return Result.err<Response>("Error parsing into type ExecuteMsg: unknown variant, expected one of `send`, `burn`");
}

/** "5ustake,7uatom" like cosmwasm-std's Display for coins. */
function coinsText(coins: Coin[]): string {
  const parts: string[] = [];
  for (let i = 0; i < coins.length; i++) parts.push(coins[i].amount + coins[i].denom);
  return parts.join(",");
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  return doExecute(env, info, msg, handleExecute);
}

// query {"balance":{"denom":"…","address":"…"?}} → {"amount":{"denom","amount"}} (address defaults to
// this contract)
function handleQuery(env: Env, msg: JsonValue): Result<string> {
  if (variantOf(msg) != "balance") {
    return Result.err<string>("Error parsing into type QueryMsg: unknown variant, expected `balance`");
  }
  const f = new Fields(msg.get("balance"), "QueryMsg::Balance");
  const denom = f.string("denom");
  const address = f.optString("address");
  const err = f.done();
  if (err !== null) return Result.err<string>(err);
  const r = queryBalance(address !== null ? address : env.contract_address, denom);
  if (!r.isOk) return Result.err<string>(r.error!);
  return Result.ok<string>('{"amount":' + r.value!.toJson() + "}");
}

export function query(env: u32, msg: u32): u32 {
  return doQuery(env, msg, handleQuery);
}

