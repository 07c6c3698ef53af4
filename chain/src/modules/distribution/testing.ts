// Invariants of the distribution state (the SDK's x/distribution invariants), for tests and
// debugging. Not used on any consensus path.
import type { KVReader } from "../../store/types.js";
import type { BankKeeper } from "../bank/keeper.js";
import type { StakingKeeper } from "../staking/keeper.js";
import * as DC from "./decCoins.js";
import type { DistributionKeeper } from "./keeper.js";

/** Returns a list of broken invariants (empty when all hold). */
export function distributionInvariants(s: KVReader, d: DistributionKeeper, staking: StakingKeeper, bank: BankKeeper): string[] {
  const broken: string[] = [];
  let expected = d.getCommunityPool(s);
  for (const v of staking.iterateValidators(s)) {
    const outstanding = d.getOutstandingRewards(s, v.operator);
    if (outstanding.some((c) => c.amount.isNegative())) broken.push(`${v.operatorAddress}: negative outstanding rewards`);
    const commission = d.getAccumulatedCommission(s, v.operator);
    for (const c of commission) {
      if (DC.amountOf(outstanding, c.denom).lt(c.amount)) broken.push(`${v.operatorAddress}: commission ${DC.toString(commission)} > outstanding ${DC.toString(outstanding)}`);
    }
    expected = DC.add(expected, outstanding);
    const current = d.getCurrentRewards(s, v.operator);
    if (!current) {
      broken.push(`${v.operatorAddress}: no current rewards record`);
      continue;
    }
    // the last ended period is always referenced; delegations reference their starting period
    const refs = new Map<bigint, number>([[current.period - 1n, 1]]);
    for (const { value: del } of staking.iterateValidatorDelegations(s, v.operator)) {
      const info = d.getStartingInfo(s, v.operator, del.delegator);
      if (!info) {
        broken.push(`${v.operatorAddress}: delegation without starting info`);
        continue;
      }
      refs.set(info.previousPeriod, (refs.get(info.previousPeriod) ?? 0) + 1);
    }
    for (const { value: ev } of d.iterateSlashEvents(s, v.operator)) refs.set(ev.validatorPeriod, (refs.get(ev.validatorPeriod) ?? 0) + 1);
    for (const { period, rewards } of d.iterateHistoricalRewards(s, v.operator)) {
      const want = refs.get(period) ?? 0;
      if (rewards.referenceCount !== want) broken.push(`${v.operatorAddress}: period ${period} has ${rewards.referenceCount} references, expected ${want}`);
      refs.delete(period);
    }
    for (const p of refs.keys()) broken.push(`${v.operatorAddress}: referenced period ${p} missing`);
  }
  // ModuleAccountInvariant: the module account holds Σ outstanding + community pool, which is integral.
  const { coins, change } = DC.truncateDecimal(expected);
  if (change.length > 0) broken.push(`Σ outstanding + community pool is not integral: ${DC.toString(expected)}`);
  const held = bank.getAllBalances(s, d.moduleAddress);
  const fmt = (cs: { denom: string; amount: bigint }[]) => cs.map((c) => `${c.amount}${c.denom}`).join(",");
  if (fmt(held) !== fmt(coins)) broken.push(`distribution module holds ${fmt(held)}, expected Σ outstanding + community pool ${fmt(coins)}`);
  return broken;
}
