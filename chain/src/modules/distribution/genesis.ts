// app_state.distribution (optional, the SDK's JSON shape): params, fee_pool.community_pool and
// delegator_withdraw_infos. The per-validator records of an exported chain (outstanding rewards,
// historical/current rewards, starting infos, slash events) are not imported: a new chain starts
// them here — every staking validator and delegation of staking genesis gets its initial records,
// as the staking hooks would have created them (gentxs create theirs through the hooks).
import type { Context } from "../../app/context.js";
import { parseAddress } from "../../types/address.js";
import { Dec } from "../../types/dec.js";
import type { BankKeeper } from "../bank/keeper.js";
import type { StakingKeeper } from "../staking/keeper.js";
import * as DC from "./decCoins.js";
import { defaultDistributionParams, type DistributionKeeper, type DistributionParams, validateDistributionParams } from "./keeper.js";

export interface DistributionGenesis {
  params?: { community_tax?: string; base_proposer_reward?: string; bonus_proposer_reward?: string; withdraw_addr_enabled?: boolean };
  fee_pool?: { community_pool?: { denom: string; amount: string }[] };
  delegator_withdraw_infos?: { delegator_address: string; withdraw_address: string }[];
  /** Accepted for the SDK's shape; must be empty (exported reward state is not imported). */
  outstanding_rewards?: unknown[];
  validator_accumulated_commissions?: unknown[];
  validator_historical_rewards?: unknown[];
  validator_current_rewards?: unknown[];
  delegator_starting_infos?: unknown[];
  validator_slash_events?: unknown[];
  previous_proposer?: string;
}

function dec(v: unknown, what: string): Dec {
  if (typeof v !== "string") throw new Error(`${what} must be a decimal string, got ${JSON.stringify(v)}`);
  try {
    return Dec.parse(v);
  } catch {
    throw new Error(`${what} must be a non-negative decimal with at most 18 decimals, got ${JSON.stringify(v)}`);
  }
}

export function parseDistributionParams(p: DistributionGenesis["params"]): DistributionParams {
  const d = defaultDistributionParams();
  if (!p) return d;
  const out: DistributionParams = {
    communityTax: p.community_tax === undefined ? d.communityTax : dec(p.community_tax, "distribution.params.community_tax"),
    baseProposerReward: p.base_proposer_reward === undefined ? d.baseProposerReward : dec(p.base_proposer_reward, "distribution.params.base_proposer_reward"),
    bonusProposerReward: p.bonus_proposer_reward === undefined ? d.bonusProposerReward : dec(p.bonus_proposer_reward, "distribution.params.bonus_proposer_reward"),
    withdrawAddrEnabled: p.withdraw_addr_enabled ?? d.withdrawAddrEnabled,
  };
  try {
    validateDistributionParams(out);
  } catch (e) {
    throw new Error(`distribution.params: ${(e as Error).message}`);
  }
  return out;
}

/** InitGenesis; call after staking genesis (it initialises the records of genesis validators and delegations). */
export function initDistributionGenesis(ctx: Context, k: DistributionKeeper, staking: StakingKeeper, bank: BankKeeper, g: DistributionGenesis | undefined): void {
  k.ensureModuleAccount(ctx.store);
  k.setParams(ctx.store, parseDistributionParams(g?.params));
  for (const f of ["outstanding_rewards", "validator_accumulated_commissions", "validator_historical_rewards", "validator_current_rewards", "delegator_starting_infos", "validator_slash_events"] as const) {
    if ((g?.[f] ?? []).length > 0) throw new Error(`distribution.${f}: importing exported reward state is not supported; leave it empty`);
  }
  const pool = DC.normalize(
    (g?.fee_pool?.community_pool ?? []).map((c, i) => {
      if (typeof c?.denom !== "string" || c.denom === "") throw new Error(`distribution.fee_pool.community_pool[${i}]: denom is required`);
      return { denom: c.denom, amount: dec(c.amount, `distribution.fee_pool.community_pool[${i}].amount`) };
    }),
  );
  k.setCommunityPool(ctx.store, pool);
  for (const [i, w] of (g?.delegator_withdraw_infos ?? []).entries()) {
    let del: Uint8Array, to: Uint8Array;
    try {
      del = parseAddress(w.delegator_address);
      to = parseAddress(w.withdraw_address);
    } catch (e) {
      throw new Error(`distribution.delegator_withdraw_infos[${i}]: ${(e as Error).message}`);
    }
    k.setWithdrawAddrRecord(ctx.store, del, to);
  }
  // The module account holds exactly the community pool's integer part (nothing is outstanding yet).
  const expected = DC.truncateDecimal(pool).coins;
  const held = bank.getAllBalances(ctx.store, k.moduleAddress);
  const fmt = (cs: { denom: string; amount: bigint }[]) => cs.map((c) => `${c.amount}${c.denom}`).join(",") || "nothing";
  if (fmt(expected) !== fmt(held)) {
    throw new Error(`distribution module account ${fmt(held)} must hold exactly the community pool's integer part ${fmt(expected)} (fund it in bank.balances)`);
  }
  for (const v of staking.iterateValidators(ctx.store)) {
    if (!k.getCurrentRewards(ctx.store, v.operator)) k.initializeValidator(ctx.store, v.operator);
  }
  for (const d of [...staking.iterateAllDelegations(ctx.store)]) {
    if (k.getStartingInfo(ctx.store, d.validator, d.delegator)) continue;
    // as the beforeDelegationCreated hook does: each delegation starts after its own period
    k.incrementValidatorPeriod(ctx.store, staking.mustGetValidator(ctx.store, d.validator));
    k.initializeDelegation(ctx, d.validator, d.delegator);
  }
}
