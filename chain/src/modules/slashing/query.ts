// /cosmos.slashing.v1beta1.Query/{Params,SigningInfo,SigningInfos}: every path CosmJS's
// setupSlashingExtension calls, answered like the SDK v0.50 gRPC server (pagination always present).
import { QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { decodeRequest, invalidArgument, notFound, paginate, type QueryRouter } from "../../app/queryRouter.js";
import { ChainError } from "../../errors/errors.js";
import { parseConsAddress, signingInfoToProto, type SlashingKeeper } from "./keeper.js";
import { paramsToProto } from "./params.js";

export function registerSlashingQueries(router: QueryRouter, slashing: SlashingKeeper): void {
  router.service("cosmos.slashing.v1beta1.Query", {
    Params: (_data, ctx) => QueryParamsResponse.encode({ params: paramsToProto(slashing.getParams(ctx.store)) }).finish(),
    SigningInfo(data, ctx) {
      const req = decodeRequest(QuerySigningInfoRequest.decode, data);
      if (req.consAddress === "") throw invalidArgument("invalid request");
      let cons: Uint8Array;
      try {
        cons = parseConsAddress(req.consAddress);
      } catch (e) {
        throw invalidArgument(e instanceof ChainError ? e.message : String(e));
      }
      const info = slashing.getSigningInfo(ctx.store, cons);
      if (!info) throw notFound(`SigningInfo not found for validator ${req.consAddress}`);
      return QuerySigningInfoResponse.encode({ valSigningInfo: signingInfoToProto(info) }).finish();
    },
    SigningInfos(data, ctx) {
      const req = decodeRequest(QuerySigningInfosRequest.decode, data);
      const { page, pagination } = paginate(slashing.iterateSigningInfos(ctx.store), req.pagination);
      return QuerySigningInfosResponse.encode({ info: page.map(signingInfoToProto), pagination }).finish();
    },
  });
}
