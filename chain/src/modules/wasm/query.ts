// /cosmwasm.wasm.v1.Query/* — every path @cosmjs/cosmwasm uses (COSMJS-COMPAT.md §2.2), with the
// pagination sub-message always present.
import {
  QueryAllContractStateRequest,
  QueryAllContractStateResponse,
  QueryCodeInfoRequest,
  QueryCodeInfoResponse,
  QueryCodeRequest,
  QueryCodeResponse,
  QueryCodesRequest,
  QueryCodesResponse,
  QueryContractHistoryRequest,
  QueryContractHistoryResponse,
  QueryContractInfoRequest,
  QueryContractInfoResponse,
  QueryContractsByCodeRequest,
  QueryContractsByCodeResponse,
  QueryContractsByCreatorRequest,
  QueryContractsByCreatorResponse,
  QueryParamsResponse,
  QueryPinnedCodesRequest,
  QueryPinnedCodesResponse,
  QueryRawContractStateRequest,
  QueryRawContractStateResponse,
  QuerySmartContractStateRequest,
  QuerySmartContractStateResponse,
  type CodeInfoResponse,
} from "cosmjs-types/cosmwasm/wasm/v1/query";
import type { CodeInfo } from "cosmjs-types/cosmwasm/wasm/v1/types";
import { EventManager } from "../../app/context.js";
import { decodeRequest, invalidArgument, notFound, paginate, type QueryContext, type QueryRouter } from "../../app/queryRouter.js";
import { ChainError } from "../../errors/errors.js";
import { GasMeter } from "../../gas/meter.js";
import { BranchStore } from "../../store/branch.js";
import { parseAddress } from "../../types/address.js";
import { isValidJson } from "./json.js";
import type { WasmKeeper } from "./keeper.js";

function address(a: string, what = "address"): Uint8Array {
  try {
    return parseAddress(a);
  } catch (e) {
    throw invalidArgument(`${what}: ${e instanceof ChainError ? e.message : String(e)}`);
  }
}

function codeInfoResponse(codeId: bigint, info: CodeInfo): CodeInfoResponse {
  return { codeId, creator: info.creator, dataHash: info.codeHash, instantiatePermission: info.instantiateConfig };
}

export function registerWasmQueries(router: QueryRouter, wasm: WasmKeeper): void {
  const contractInfo = (ctx: QueryContext, a: string) => {
    const info = wasm.getContractInfo(ctx.store, address(a));
    if (!info) throw notFound(`address ${a}: not found`);
    return info;
  };
  const codeInfo = (ctx: QueryContext, codeId: bigint) => {
    if (codeId === 0n) throw invalidArgument("code id is required");
    const info = wasm.getCodeInfo(ctx.store, codeId);
    if (!info) throw notFound(`code id ${codeId}: not found`);
    return info;
  };

  router.service("cosmwasm.wasm.v1.Query", {
    ContractInfo(data, ctx) {
      const req = decodeRequest(QueryContractInfoRequest.decode, data);
      return QueryContractInfoResponse.encode({ address: req.address, contractInfo: contractInfo(ctx, req.address) }).finish();
    },
    ContractHistory(data, ctx) {
      const req = decodeRequest(QueryContractHistoryRequest.decode, data);
      contractInfo(ctx, req.address);
      const items = (function* () {
        for (const h of wasm.iterateHistory(ctx.store, address(req.address))) yield { key: h.key, value: h.entry };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryContractHistoryResponse.encode({ entries: page, pagination }).finish();
    },
    ContractsByCode(data, ctx) {
      const req = decodeRequest(QueryContractsByCodeRequest.decode, data);
      if (req.codeId === 0n) throw invalidArgument("code id is required");
      const items = (function* () {
        for (const c of wasm.iterateContractsByCode(ctx.store, req.codeId)) yield { key: c.key, value: c.address };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryContractsByCodeResponse.encode({ contracts: page, pagination }).finish();
    },
    ContractsByCreator(data, ctx) {
      const req = decodeRequest(QueryContractsByCreatorRequest.decode, data);
      const items = (function* () {
        for (const c of wasm.iterateContractsByCreator(ctx.store, address(req.creatorAddress, "creator"))) yield { key: c.key, value: c.address };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryContractsByCreatorResponse.encode({ contractAddresses: page, pagination }).finish();
    },
    AllContractState(data, ctx) {
      const req = decodeRequest(QueryAllContractStateRequest.decode, data);
      contractInfo(ctx, req.address);
      const { page, pagination } = paginate(wasm.iterateContractState(ctx.store, address(req.address)), req.pagination);
      return QueryAllContractStateResponse.encode({ models: page, pagination }).finish();
    },
    RawContractState(data, ctx) {
      const req = decodeRequest(QueryRawContractStateRequest.decode, data);
      contractInfo(ctx, req.address);
      return QueryRawContractStateResponse.encode({ data: wasm.queryRaw(ctx.store, address(req.address), req.queryData) ?? new Uint8Array() }).finish();
    },
    SmartContractState(data, ctx) {
      const req = decodeRequest(QuerySmartContractStateRequest.decode, data);
      if (!isValidJson(req.queryData)) throw invalidArgument("query data must be json");
      contractInfo(ctx, req.address);
      const store = new BranchStore(ctx.store); // a throwaway write layer: the VM refuses writes in queries anyway
      const meter = new GasMeter(undefined);
      const answer = wasm.querySmart(
        { store, rawStore: store, gasMeter: meter, events: new EventManager(), chainId: ctx.chainId, height: ctx.height, timeSeconds: ctx.timeNanos / 1_000_000_000n, timeNanos: ctx.timeNanos, mode: "simulate" },
        req.address,
        req.queryData,
      );
      return QuerySmartContractStateResponse.encode({ data: answer }).finish();
    },
    Code(data, ctx) {
      const req = decodeRequest(QueryCodeRequest.decode, data);
      const info = codeInfo(ctx, req.codeId);
      return QueryCodeResponse.encode({ codeInfo: codeInfoResponse(req.codeId, info), data: wasm.getOriginalCode(ctx.store, info.codeHash) ?? new Uint8Array() }).finish();
    },
    CodeInfo(data, ctx) {
      const req = decodeRequest(QueryCodeInfoRequest.decode, data);
      const info = codeInfo(ctx, req.codeId);
      return QueryCodeInfoResponse.encode({ codeId: req.codeId, creator: info.creator, checksum: info.codeHash, instantiatePermission: info.instantiateConfig }).finish();
    },
    Codes(data, ctx) {
      const req = decodeRequest(QueryCodesRequest.decode, data);
      const items = (function* () {
        for (const c of wasm.iterateCodeInfos(ctx.store)) yield { key: c.key, value: codeInfoResponse(c.codeId, c.info) };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryCodesResponse.encode({ codeInfos: page, pagination }).finish();
    },
    PinnedCodes(data) {
      decodeRequest(QueryPinnedCodesRequest.decode, data);
      return QueryPinnedCodesResponse.encode({ codeIds: [], pagination: { nextKey: new Uint8Array(), total: 0n } }).finish();
    },
    Params(_data, ctx) {
      return QueryParamsResponse.encode({ params: wasm.getParams(ctx.store) }).finish();
    },
  });
}
