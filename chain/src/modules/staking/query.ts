// /cosmos.staking.v1beta1.Query/* — every path CosmJS's setupStakingExtension calls, answered like
// the SDK v0.50 gRPC server (pagination always present; NotFound texts CosmJS matches on).
import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryHistoricalInfoRequest,
  QueryHistoricalInfoResponse,
  QueryParamsResponse,
  QueryPoolResponse,
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorDelegationsRequest,
  QueryValidatorDelegationsResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
  QueryValidatorUnbondingDelegationsRequest,
  QueryValidatorUnbondingDelegationsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus, type DelegationResponse, type RedelegationResponse, bondStatusToJSON } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { decodeRequest, invalidArgument, notFound, paginate, type QueryRouter } from "../../app/queryRouter.js";
import { ChainError } from "../../errors/errors.js";
import type { KVReader } from "../../store/types.js";
import { parseAddress } from "../../types/address.js";
import { type Delegation, delegationToProto, type Redelegation, redToProto, StakingKeeper, parseValAddress, ubdToProto } from "./keeper.js";
import { paramsToProto } from "./params.js";
import { tokensFromShares } from "./shares.js";

function acc(s: string): Uint8Array {
  if (s === "") throw invalidArgument("delegator address cannot be empty");
  try {
    return parseAddress(s);
  } catch (e) {
    throw invalidArgument(e instanceof ChainError ? e.message : String(e));
  }
}

function val(s: string, what = "validator address cannot be empty"): Uint8Array {
  if (s === "") throw invalidArgument(what);
  try {
    return parseValAddress(s);
  } catch (e) {
    throw invalidArgument(e instanceof ChainError ? e.message : String(e));
  }
}

const STATUSES = new Set(["BOND_STATUS_UNBONDED", "BOND_STATUS_UNBONDING", "BOND_STATUS_BONDED"]);

export function registerStakingQueries(router: QueryRouter, staking: StakingKeeper): void {
  const delegationResponse = (s: KVReader, d: Delegation): DelegationResponse => {
    const v = staking.mustGetValidator(s, d.validator);
    const balance = v.delegatorShares.atomics === 0n ? 0n : tokensFromShares(v, d.shares).truncateInt();
    return { delegation: delegationToProto(d), balance: { denom: staking.getParams(s).bondDenom, amount: balance.toString() } };
  };
  const redelegationResponse = (s: KVReader, r: Redelegation): RedelegationResponse => {
    const dst = staking.getValidator(s, r.dst);
    const proto = redToProto(r);
    return {
      redelegation: { ...proto, entries: [] },
      entries: r.entries.map((e, i) => ({
        redelegationEntry: proto.entries[i]!,
        balance: (dst && dst.delegatorShares.atomics > 0n ? tokensFromShares(dst, e.sharesDst).truncateInt() : 0n).toString(),
      })),
    };
  };
  const validatorsOf = (s: KVReader, del: Uint8Array) =>
    (function* () {
      for (const { key, value } of staking.iterateDelegatorDelegations(s, del)) {
        const v = staking.getValidatorProto(s, value.validator);
        if (v) yield { key, value: v };
      }
    })();

  router.service("cosmos.staking.v1beta1.Query", {
    Validators(data, ctx) {
      const req = decodeRequest(QueryValidatorsRequest.decode, data);
      if (req.status !== "" && !STATUSES.has(req.status)) throw invalidArgument(`invalid validator status ${req.status}`);
      const items = (function* () {
        for (const it of staking.iterateValidatorProtos(ctx.store)) {
          if (req.status === "" || bondStatusToJSON(it.value.status) === req.status) yield it;
        }
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryValidatorsResponse.encode({ validators: page, pagination }).finish();
    },
    Validator(data, ctx) {
      const req = decodeRequest(QueryValidatorRequest.decode, data);
      const v = staking.getValidatorProto(ctx.store, val(req.validatorAddr));
      if (!v) throw notFound(`validator ${req.validatorAddr} not found`);
      return QueryValidatorResponse.encode({ validator: v }).finish();
    },
    ValidatorDelegations(data, ctx) {
      const req = decodeRequest(QueryValidatorDelegationsRequest.decode, data);
      const op = val(req.validatorAddr);
      const items = (function* () {
        for (const { key, value } of staking.iterateValidatorDelegations(ctx.store, op)) yield { key, value: delegationResponse(ctx.store, value) };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryValidatorDelegationsResponse.encode({ delegationResponses: page, pagination }).finish();
    },
    ValidatorUnbondingDelegations(data, ctx) {
      const req = decodeRequest(QueryValidatorUnbondingDelegationsRequest.decode, data);
      const op = val(req.validatorAddr);
      const items = (function* () {
        for (const { key, value } of staking.iterateValidatorUnbondingDelegations(ctx.store, op)) yield { key, value: ubdToProto(value) };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryValidatorUnbondingDelegationsResponse.encode({ unbondingResponses: page, pagination }).finish();
    },
    Delegation(data, ctx) {
      const req = decodeRequest(QueryDelegationRequest.decode, data);
      const del = acc(req.delegatorAddr);
      const op = val(req.validatorAddr);
      const d = staking.getDelegation(ctx.store, del, op);
      if (!d) throw notFound(`delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
      return QueryDelegationResponse.encode({ delegationResponse: delegationResponse(ctx.store, d) }).finish();
    },
    UnbondingDelegation(data, ctx) {
      const req = decodeRequest(QueryUnbondingDelegationRequest.decode, data);
      const del = acc(req.delegatorAddr);
      const op = val(req.validatorAddr);
      const u = staking.getUnbondingDelegation(ctx.store, del, op);
      if (!u) throw notFound(`unbonding delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
      return QueryUnbondingDelegationResponse.encode({ unbond: ubdToProto(u) }).finish();
    },
    DelegatorDelegations(data, ctx) {
      const req = decodeRequest(QueryDelegatorDelegationsRequest.decode, data);
      const del = acc(req.delegatorAddr);
      const items = (function* () {
        for (const { key, value } of staking.iterateDelegatorDelegations(ctx.store, del)) yield { key, value: delegationResponse(ctx.store, value) };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryDelegatorDelegationsResponse.encode({ delegationResponses: page, pagination }).finish();
    },
    DelegatorUnbondingDelegations(data, ctx) {
      const req = decodeRequest(QueryDelegatorUnbondingDelegationsRequest.decode, data);
      const del = acc(req.delegatorAddr);
      const items = (function* () {
        for (const { key, value } of staking.iterateDelegatorUnbondingDelegations(ctx.store, del)) yield { key, value: ubdToProto(value) };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryDelegatorUnbondingDelegationsResponse.encode({ unbondingResponses: page, pagination }).finish();
    },
    Redelegations(data, ctx) {
      const req = decodeRequest(QueryRedelegationsRequest.decode, data);
      const s = ctx.store;
      // As the SDK: all three → that one redelegation; delegator (+ optional filters) → theirs; source only → from it.
      if (req.delegatorAddr !== "" && req.srcValidatorAddr !== "" && req.dstValidatorAddr !== "") {
        const r = staking.getRedelegation(s, acc(req.delegatorAddr), val(req.srcValidatorAddr), val(req.dstValidatorAddr));
        if (!r) throw notFound(`redelegation not found for delegator address ${req.delegatorAddr} from validator address ${req.srcValidatorAddr}`);
        return QueryRedelegationsResponse.encode({ redelegationResponses: [redelegationResponse(s, r)], pagination: { nextKey: new Uint8Array(), total: 0n } }).finish();
      }
      let source: Iterable<{ key: Uint8Array; value: Redelegation }>;
      if (req.delegatorAddr !== "") {
        const src = req.srcValidatorAddr === "" ? undefined : val(req.srcValidatorAddr);
        const dst = req.dstValidatorAddr === "" ? undefined : val(req.dstValidatorAddr);
        const all = staking.iterateDelegatorRedelegations(s, acc(req.delegatorAddr));
        source = (function* () {
          for (const it of all) {
            if (src && Buffer.compare(it.value.src, src) !== 0) continue;
            if (dst && Buffer.compare(it.value.dst, dst) !== 0) continue;
            yield it;
          }
        })();
      } else if (req.srcValidatorAddr !== "") {
        source = staking.iterateRedelegationsFromSrc(s, val(req.srcValidatorAddr));
      } else {
        throw invalidArgument("delegator address or source validator address cannot be empty");
      }
      const items = (function* () {
        for (const { key, value } of source) yield { key, value: redelegationResponse(s, value) };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryRedelegationsResponse.encode({ redelegationResponses: page, pagination }).finish();
    },
    DelegatorValidators(data, ctx) {
      const req = decodeRequest(QueryDelegatorValidatorsRequest.decode, data);
      const { page, pagination } = paginate(validatorsOf(ctx.store, acc(req.delegatorAddr)), req.pagination);
      return QueryDelegatorValidatorsResponse.encode({ validators: page, pagination }).finish();
    },
    DelegatorValidator(data, ctx) {
      const req = decodeRequest(QueryDelegatorValidatorRequest.decode, data);
      const del = acc(req.delegatorAddr);
      const op = val(req.validatorAddr);
      if (!staking.getDelegation(ctx.store, del, op)) throw notFound(`delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
      const v = staking.getValidatorProto(ctx.store, op);
      if (!v) throw notFound(`validator ${req.validatorAddr} not found`);
      return QueryDelegatorValidatorResponse.encode({ validator: v }).finish();
    },
    HistoricalInfo(data, ctx) {
      const req = decodeRequest(QueryHistoricalInfoRequest.decode, data);
      if (req.height < 0n) throw invalidArgument("height cannot be negative");
      const hi = staking.getHistoricalInfo(ctx.store, req.height);
      if (!hi) throw notFound(`historical info for height ${req.height} not found`);
      return QueryHistoricalInfoResponse.encode({ hist: hi }).finish();
    },
    Pool(_data, ctx) {
      return QueryPoolResponse.encode({
        pool: { bondedTokens: staking.bondedTokens(ctx.store).toString(), notBondedTokens: staking.notBondedTokens(ctx.store).toString() },
      }).finish();
    },
    Params(_data, ctx) {
      return QueryParamsResponse.encode({ params: paramsToProto(staking.getParams(ctx.store)) }).finish();
    },
  });
}

export { BondStatus };
