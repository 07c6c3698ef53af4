// distribution messages (cosmos.distribution.v1beta1.Msg), checks, errors and events as the SDK
// v0.50 msg server. Amino (CosmJS's default converters): cosmos-sdk/MsgWithdrawDelegationReward,
// cosmos-sdk/MsgWithdrawValidatorCommission, cosmos-sdk/MsgModifyWithdrawAddress,
// cosmos-sdk/MsgFundCommunityPool. MsgDepositValidatorRewardsPool is direct-only (no CosmJS converter).
import {
  MsgDepositValidatorRewardsPool,
  MsgDepositValidatorRewardsPoolResponse,
  MsgFundCommunityPool,
  MsgFundCommunityPoolResponse,
  MsgSetWithdrawAddress,
  MsgSetWithdrawAddressResponse,
  MsgWithdrawDelegatorReward,
  MsgWithdrawDelegatorRewardResponse,
  MsgWithdrawValidatorCommission,
  MsgWithdrawValidatorCommissionResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ChainError } from "../../errors/errors.js";
import { ErrInvalidAddress, ErrInvalidCoins } from "../../errors/sdk.js";
import { formatAddress, parseAddress } from "../../types/address.js";
import { type Coin, coinsFromProto } from "../../types/coins.js";
import { parseValAddress } from "../staking/keeper.js";
import * as E from "./errors.js";
import type { DistributionKeeper } from "./keeper.js";

const MODULE = "distribution";

const any = (typeUrl: string, value: Uint8Array) => Any.fromPartial({ typeUrl, value });
const reason = (e: unknown) => (e instanceof ChainError ? e.context : String((e as Error).message ?? e));

function acc(s: string, what: string, empty: typeof E.ErrEmptyDelegatorAddr): Uint8Array {
  if (s === "") throw empty.err();
  try {
    return parseAddress(s);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`invalid ${what} address: ${reason(e)}`);
  }
}

function val(s: string): Uint8Array {
  if (s === "") throw E.ErrEmptyValidatorAddr.err();
  try {
    return parseValAddress(s);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`invalid validator address: ${reason(e)}`);
  }
}

/** validateAmount: present and a valid Coins list. */
function amount(list: readonly { denom: string; amount: string }[]): Coin[] {
  if (list.length === 0) throw ErrInvalidCoins.wrap("amount cannot be nil");
  try {
    return coinsFromProto(list, false);
  } catch {
    throw ErrInvalidCoins.wrap(list.map((c) => `${c.amount}${c.denom}`).join(","));
  }
}

const coinsProto = (coins: Coin[]) => coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));

export function distributionMsgHandlers(distribution: DistributionKeeper): MsgHandler<any>[] {
  const setWithdrawAddress: MsgHandler<MsgSetWithdrawAddress> = {
    typeUrl: MsgSetWithdrawAddress.typeUrl,
    module: MODULE,
    decode: (b) => MsgSetWithdrawAddress.decode(b),
    encode: (m) => MsgSetWithdrawAddress.encode(m).finish(),
    signers: (m) => [m.delegatorAddress],
    validateBasic(m) {
      acc(m.delegatorAddress, "delegator", E.ErrEmptyDelegatorAddr);
      acc(m.withdrawAddress, "withdraw", E.ErrEmptyWithdrawAddr);
    },
    execute(ctx, m) {
      const del = acc(m.delegatorAddress, "delegator", E.ErrEmptyDelegatorAddr);
      const withdraw = acc(m.withdrawAddress, "withdraw", E.ErrEmptyWithdrawAddr);
      distribution.setWithdrawAddr(ctx, del, withdraw);
      return any(MsgSetWithdrawAddressResponse.typeUrl, MsgSetWithdrawAddressResponse.encode({}).finish());
    },
  };

  const withdrawDelegatorReward: MsgHandler<MsgWithdrawDelegatorReward> = {
    typeUrl: MsgWithdrawDelegatorReward.typeUrl,
    module: MODULE,
    decode: (b) => MsgWithdrawDelegatorReward.decode(b),
    encode: (m) => MsgWithdrawDelegatorReward.encode(m).finish(),
    signers: (m) => [m.delegatorAddress],
    validateBasic(m) {
      acc(m.delegatorAddress, "delegator", E.ErrEmptyDelegatorAddr);
      val(m.validatorAddress);
    },
    execute(ctx, m) {
      const v = val(m.validatorAddress);
      const del = acc(m.delegatorAddress, "delegator", E.ErrEmptyDelegatorAddr);
      const coins = distribution.withdrawDelegationRewards(ctx, del, v);
      return any(MsgWithdrawDelegatorRewardResponse.typeUrl, MsgWithdrawDelegatorRewardResponse.encode({ amount: coinsProto(coins) }).finish());
    },
  };

  const withdrawValidatorCommission: MsgHandler<MsgWithdrawValidatorCommission> = {
    typeUrl: MsgWithdrawValidatorCommission.typeUrl,
    module: MODULE,
    decode: (b) => MsgWithdrawValidatorCommission.decode(b),
    encode: (m) => MsgWithdrawValidatorCommission.encode(m).finish(),
    signers: (m) => [formatAddress(val(m.validatorAddress))],
    validateBasic(m) {
      val(m.validatorAddress);
    },
    execute(ctx, m) {
      const coins = distribution.withdrawValidatorCommission(ctx, val(m.validatorAddress));
      return any(MsgWithdrawValidatorCommissionResponse.typeUrl, MsgWithdrawValidatorCommissionResponse.encode({ amount: coinsProto(coins) }).finish());
    },
  };

  const fundCommunityPool: MsgHandler<MsgFundCommunityPool> = {
    typeUrl: MsgFundCommunityPool.typeUrl,
    module: MODULE,
    decode: (b) => MsgFundCommunityPool.decode(b),
    encode: (m) => MsgFundCommunityPool.encode(m).finish(),
    signers: (m) => [m.depositor],
    validateBasic(m) {
      acc(m.depositor, "depositor", E.ErrEmptyDelegatorAddr);
      amount(m.amount);
    },
    execute(ctx, m) {
      distribution.fundCommunityPool(ctx, amount(m.amount), acc(m.depositor, "depositor", E.ErrEmptyDelegatorAddr));
      return any(MsgFundCommunityPoolResponse.typeUrl, MsgFundCommunityPoolResponse.encode({}).finish());
    },
  };

  const depositValidatorRewardsPool: MsgHandler<MsgDepositValidatorRewardsPool> = {
    typeUrl: MsgDepositValidatorRewardsPool.typeUrl,
    module: MODULE,
    decode: (b) => MsgDepositValidatorRewardsPool.decode(b),
    encode: (m) => MsgDepositValidatorRewardsPool.encode(m).finish(),
    signers: (m) => [m.depositor],
    validateBasic(m) {
      acc(m.depositor, "depositor", E.ErrEmptyDelegatorAddr);
      val(m.validatorAddress);
      amount(m.amount);
    },
    execute(ctx, m) {
      const coins = amount(m.amount);
      distribution.depositValidatorRewardsPool(ctx, acc(m.depositor, "depositor", E.ErrEmptyDelegatorAddr), val(m.validatorAddress), coins);
      return any(MsgDepositValidatorRewardsPoolResponse.typeUrl, MsgDepositValidatorRewardsPoolResponse.encode({}).finish());
    },
  };

  return [setWithdrawAddress, withdrawDelegatorReward, withdrawValidatorCommission, fundCommunityPool, depositValidatorRewardsPool];
}

