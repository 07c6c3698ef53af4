import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataByQueryStringRequest,
  QueryDenomMetadataByQueryStringResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsResponse,
  QuerySendEnabledRequest,
  QuerySendEnabledResponse,
  QuerySpendableBalanceByDenomRequest,
  QuerySpendableBalanceByDenomResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { decodeRequest, invalidArgument, notFound, paginate, type QueryRouter } from "../../app/queryRouter.js";
import { ChainError } from "../../errors/errors.js";
import { parseAddress } from "../../types/address.js";
import { type Coin, validateDenom } from "../../types/coins.js";
import type { BankKeeper } from "./keeper.js";

function checked<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw invalidArgument(e instanceof ChainError ? e.message : String(e));
  }
}

const coinItems = (coins: Iterable<Coin>) =>
  (function* () {
    for (const c of coins) yield { key: Buffer.from(c.denom, "utf8"), value: { denom: c.denom, amount: c.amount.toString() } };
  })();

export function registerBankQueries(router: QueryRouter, bank: BankKeeper): void {
  const balance = (address: string, denom: string, store: Parameters<BankKeeper["getBalance"]>[0]) => {
    const addr = checked(() => parseAddress(address));
    checked(() => validateDenom(denom));
    return { denom, amount: bank.getBalance(store, addr, denom).toString() };
  };
  const allBalances = (address: string, store: Parameters<BankKeeper["getBalance"]>[0]) =>
    bank.getAllBalances(store, checked(() => parseAddress(address)));

  router.service("cosmos.bank.v1beta1.Query", {
    Balance(data, ctx) {
      const req = decodeRequest(QueryBalanceRequest.decode, data);
      return QueryBalanceResponse.encode({ balance: balance(req.address, req.denom, ctx.store) }).finish();
    },
    AllBalances(data, ctx) {
      const req = decodeRequest(QueryAllBalancesRequest.decode, data);
      const { page, pagination } = paginate(coinItems(allBalances(req.address, ctx.store)), req.pagination);
      return QueryAllBalancesResponse.encode({ balances: page, pagination }).finish();
    },
    // No vesting or locks exist, so spendable equals the balance.
    SpendableBalances(data, ctx) {
      const req = decodeRequest(QuerySpendableBalancesRequest.decode, data);
      const { page, pagination } = paginate(coinItems(allBalances(req.address, ctx.store)), req.pagination);
      return QuerySpendableBalancesResponse.encode({ balances: page, pagination }).finish();
    },
    SpendableBalanceByDenom(data, ctx) {
      const req = decodeRequest(QuerySpendableBalanceByDenomRequest.decode, data);
      return QuerySpendableBalanceByDenomResponse.encode({ balance: balance(req.address, req.denom, ctx.store) }).finish();
    },
    TotalSupply(data, ctx) {
      const req = decodeRequest(QueryTotalSupplyRequest.decode, data);
      const { page, pagination } = paginate(coinItems(bank.iterateSupply(ctx.store)), req.pagination);
      return QueryTotalSupplyResponse.encode({ supply: page, pagination }).finish();
    },
    SupplyOf(data, ctx) {
      const { denom } = decodeRequest(QuerySupplyOfRequest.decode, data);
      checked(() => validateDenom(denom));
      return QuerySupplyOfResponse.encode({ amount: { denom, amount: bank.getSupply(ctx.store, denom).toString() } }).finish();
    },
    Params(_data, ctx) {
      return QueryParamsResponse.encode({ params: bank.getParams(ctx.store) }).finish();
    },
    DenomMetadata(data, ctx) {
      const { denom } = decodeRequest(QueryDenomMetadataRequest.decode, data);
      const metadata = bank.getDenomMetadata(ctx.store, denom);
      if (!metadata) throw notFound(`client metadata for denom ${denom}`);
      return QueryDenomMetadataResponse.encode({ metadata }).finish();
    },
    DenomMetadataByQueryString(data, ctx) {
      const { denom } = decodeRequest(QueryDenomMetadataByQueryStringRequest.decode, data);
      const metadata = bank.getDenomMetadata(ctx.store, denom);
      if (!metadata) throw notFound(`client metadata for denom ${denom}`);
      return QueryDenomMetadataByQueryStringResponse.encode({ metadata }).finish();
    },
    DenomsMetadata(data, ctx) {
      const req = decodeRequest(QueryDenomsMetadataRequest.decode, data);
      const items = (function* () {
        for (const m of bank.iterateDenomMetadata(ctx.store)) yield { key: Buffer.from(m.base, "utf8"), value: m };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryDenomsMetadataResponse.encode({ metadatas: page, pagination }).finish();
    },
    SendEnabled(data, ctx) {
      const req = decodeRequest(QuerySendEnabledRequest.decode, data);
      const all = [...bank.iterateSendEnabled(ctx.store)];
      const wanted = req.denoms.length > 0 ? all.filter((e) => req.denoms.includes(e.denom)) : all;
      const { page, pagination } = paginate(
        wanted.map((e) => ({ key: Buffer.from(e.denom, "utf8"), value: e })),
        req.pagination,
      );
      return QuerySendEnabledResponse.encode({ sendEnabled: page, pagination }).finish();
    },
  });
}
