// /cosmos.distribution.v1beta1.Query/* — every path CosmJS's setupDistributionExtension calls plus
// ValidatorDistributionInfo, answered like the SDK v0.50 gRPC server. Rewards are computed without
// writing (the ratio of the running period as IncrementValidatorPeriod would store it), so a query
// answers exactly what a withdrawal in the next block would pay before that block's allocation.
import {
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
  QueryParamsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
  QueryValidatorDistributionInfoRequest,
  QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
  QueryValidatorSlashesRequest,
  QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { decodeRequest, invalidArgument, paginate, type QueryRouter } from "../../app/queryRouter.js";
import { ChainError } from "../../errors/errors.js";
import { formatAddress, parseAddress } from "../../types/address.js";
import type { StakingKeeper } from "../staking/keeper.js";
import { formatValAddress, parseValAddress } from "../staking/keeper.js";
import * as DC from "./decCoins.js";
import * as E from "./errors.js";
import { type DistributionKeeper, paramsToProto } from "./keeper.js";

function acc(s: string): Uint8Array {
  if (s === "") throw invalidArgument("empty delegator address");
  try {
    return parseAddress(s);
  } catch (e) {
    throw invalidArgument(e instanceof ChainError ? e.message : String(e));
  }
}

function val(s: string): Uint8Array {
  if (s === "") throw invalidArgument("empty validator address");
  try {
    return parseValAddress(s);
  } catch (e) {
    throw invalidArgument(e instanceof ChainError ? e.message : String(e));
  }
}

export function registerDistributionQueries(router: QueryRouter, distribution: DistributionKeeper, staking: StakingKeeper): void {
  const mustValidator = (s: Parameters<StakingKeeper["getValidator"]>[0], op: Uint8Array, addr: string) => {
    const v = staking.getValidator(s, op);
    if (!v) throw E.ErrNoValidatorExists.wrap(addr);
    return v;
  };

  router.service("cosmos.distribution.v1beta1.Query", {
    Params(_data, ctx) {
      return QueryParamsResponse.encode({ params: paramsToProto(distribution.getParams(ctx.store)) }).finish();
    },
    ValidatorDistributionInfo(data, ctx) {
      const req = decodeRequest(QueryValidatorDistributionInfoRequest.decode, data);
      const op = val(req.validatorAddress);
      const v = mustValidator(ctx.store, op, req.validatorAddress);
      const d = staking.getDelegation(ctx.store, op, op);
      if (!d) throw E.ErrNoDelegationExists.err();
      const rewards = distribution.pendingDelegationRewards(ctx.store, v, d, ctx.height);
      return QueryValidatorDistributionInfoResponse.encode({
        operatorAddress: formatAddress(op),
        selfBondRewards: DC.toProto(rewards),
        commission: DC.toProto(distribution.getAccumulatedCommission(ctx.store, op)),
      }).finish();
    },
    ValidatorOutstandingRewards(data, ctx) {
      const req = decodeRequest(QueryValidatorOutstandingRewardsRequest.decode, data);
      const op = val(req.validatorAddress);
      mustValidator(ctx.store, op, req.validatorAddress);
      return QueryValidatorOutstandingRewardsResponse.encode({ rewards: { rewards: DC.toProto(distribution.getOutstandingRewards(ctx.store, op)) } }).finish();
    },
    ValidatorCommission(data, ctx) {
      const req = decodeRequest(QueryValidatorCommissionRequest.decode, data);
      const op = val(req.validatorAddress);
      mustValidator(ctx.store, op, req.validatorAddress);
      return QueryValidatorCommissionResponse.encode({ commission: { commission: DC.toProto(distribution.getAccumulatedCommission(ctx.store, op)) } }).finish();
    },
    ValidatorSlashes(data, ctx) {
      const req = decodeRequest(QueryValidatorSlashesRequest.decode, data);
      const op = val(req.validatorAddress);
      if (req.endingHeight < req.startingHeight) throw invalidArgument(`starting height greater than ending height (${req.startingHeight} > ${req.endingHeight})`);
      const items = (function* () {
        for (const { key, value } of distribution.iterateSlashEvents(ctx.store, op, req.startingHeight, req.endingHeight)) {
          yield { key, value: { validatorPeriod: value.validatorPeriod, fraction: value.fraction.toAtomicsString() } };
        }
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryValidatorSlashesResponse.encode({ slashes: page, pagination }).finish();
    },
    DelegationRewards(data, ctx) {
      const req = decodeRequest(QueryDelegationRewardsRequest.decode, data);
      const del = acc(req.delegatorAddress);
      const op = val(req.validatorAddress);
      const v = mustValidator(ctx.store, op, req.validatorAddress);
      const d = staking.getDelegation(ctx.store, del, op);
      if (!d) throw E.ErrNoDelegationExists.err();
      return QueryDelegationRewardsResponse.encode({ rewards: DC.toProto(distribution.pendingDelegationRewards(ctx.store, v, d, ctx.height)) }).finish();
    },
    DelegationTotalRewards(data, ctx) {
      const req = decodeRequest(QueryDelegationTotalRewardsRequest.decode, data);
      const del = acc(req.delegatorAddress);
      const rewards: { validatorAddress: string; reward: ReturnType<typeof DC.toProto> }[] = [];
      let total: DC.DecCoin[] = [];
      for (const { value: d } of staking.iterateDelegatorDelegations(ctx.store, del)) {
        const v = staking.getValidator(ctx.store, d.validator);
        if (!v) continue;
        const r = distribution.pendingDelegationRewards(ctx.store, v, d, ctx.height);
        rewards.push({ validatorAddress: formatValAddress(d.validator), reward: DC.toProto(r) });
        total = DC.add(total, r);
      }
      return QueryDelegationTotalRewardsResponse.encode({ rewards, total: DC.toProto(total) }).finish();
    },
    DelegatorValidators(data, ctx) {
      const req = decodeRequest(QueryDelegatorValidatorsRequest.decode, data);
      const del = acc(req.delegatorAddress);
      const validators = [...staking.iterateDelegatorDelegations(ctx.store, del)].map(({ value }) => formatValAddress(value.validator));
      return QueryDelegatorValidatorsResponse.encode({ validators }).finish();
    },
    DelegatorWithdrawAddress(data, ctx) {
      const req = decodeRequest(QueryDelegatorWithdrawAddressRequest.decode, data);
      const del = acc(req.delegatorAddress);
      return QueryDelegatorWithdrawAddressResponse.encode({ withdrawAddress: formatAddress(distribution.getWithdrawAddr(ctx.store, del)) }).finish();
    },
    CommunityPool(_data, ctx) {
      return QueryCommunityPoolResponse.encode({ pool: DC.toProto(distribution.getCommunityPool(ctx.store)) }).finish();
    },
  });
}
