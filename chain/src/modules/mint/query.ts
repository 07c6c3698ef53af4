// mint queries: the SDK's /cosmos.mint.v1beta1.Query/{Params,Inflation,AnnualProvisions} exactly as
// CosmJS' setupMintExtension decodes them (LegacyDec as atomics: string fields in Params, ASCII
// bytes in the Inflation and AnnualProvisions responses), and /soa.mint.v1.Query/{Params,WorkPool}.
import {
  QueryAnnualProvisionsRequest,
  QueryAnnualProvisionsResponse,
  QueryInflationRequest,
  QueryInflationResponse,
  QueryParamsRequest as SdkQueryParamsRequest,
  QueryParamsResponse as SdkQueryParamsResponse,
} from "cosmjs-types/cosmos/mint/v1beta1/query";
import { decodeRequest, type QueryRouter } from "../../app/queryRouter.js";
import { QueryParamsRequest, QueryParamsResponse, QueryWorkPoolRequest, QueryWorkPoolResponse } from "../../gen/soa/mint/v1/query.js";
import { formatAddress } from "../../types/address.js";
import type { BankKeeper } from "../bank/keeper.js";
import type { MintKeeper } from "./keeper.js";
import { paramsToProto } from "./params.js";

const ascii = (s: string) => Buffer.from(s, "latin1");

export function registerMintQueries(router: QueryRouter, mint: MintKeeper, bank: BankKeeper): void {
  router.service("cosmos.mint.v1beta1.Query", {
    Params(data, ctx) {
      decodeRequest(SdkQueryParamsRequest.decode, data);
      const p = mint.getParams(ctx.store);
      return SdkQueryParamsResponse.encode({
        params: {
          mintDenom: p.mintDenom,
          inflationRateChange: p.inflationRateChange.toAtomicsString(),
          inflationMax: p.inflationMax.toAtomicsString(),
          inflationMin: p.inflationMin.toAtomicsString(),
          goalBonded: p.goalBonded.toAtomicsString(),
          blocksPerYear: p.blocksPerYear,
        },
      }).finish();
    },
    Inflation(data, ctx) {
      decodeRequest(QueryInflationRequest.decode, data);
      return QueryInflationResponse.encode({ inflation: ascii(mint.getMinter(ctx.store).inflation.toAtomicsString()) }).finish();
    },
    AnnualProvisions(data, ctx) {
      decodeRequest(QueryAnnualProvisionsRequest.decode, data);
      const annualProvisions = ascii(mint.getMinter(ctx.store).annualProvisions.toAtomicsString());
      return QueryAnnualProvisionsResponse.encode({ annualProvisions }).finish();
    },
  });
  router.service("soa.mint.v1.Query", {
    Params(data, ctx) {
      decodeRequest(QueryParamsRequest.decode, data);
      return QueryParamsResponse.encode({ params: paramsToProto(mint.getParams(ctx.store)) }).finish();
    },
    WorkPool(data, ctx) {
      decodeRequest(QueryWorkPoolRequest.decode, data);
      const { mintDenom } = mint.getParams(ctx.store);
      const amount = bank.getBalance(ctx.store, mint.workPoolAddress, mintDenom);
      return QueryWorkPoolResponse.encode({ address: formatAddress(mint.workPoolAddress), denom: mintDenom, amount: amount.toString() }).finish();
    },
  });
}
