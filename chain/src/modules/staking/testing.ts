// Invariants of the staking state (the SDK's x/staking invariants), for tests and debugging.
// Not used on any consensus path.
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { KVReader } from "../../store/types.js";
import { Dec } from "../../types/dec.js";
import type { AuthKeeper } from "../auth/keeper.js";
import type { BankKeeper } from "../bank/keeper.js";
import type { StakingKeeper } from "./keeper.js";

/** Returns a list of broken invariants (empty when all hold). */
export function stakingInvariants(s: KVReader, staking: StakingKeeper, bank: BankKeeper): string[] {
  const broken: string[] = [];
  const denom = staking.getParams(s).bondDenom;
  let bonded = 0n;
  let notBonded = 0n;
  const shares = new Map<string, Dec>();
  for (const v of staking.iterateValidators(s)) {
    if (v.status === BondStatus.BOND_STATUS_BONDED) bonded += v.tokens;
    else notBonded += v.tokens;
    shares.set(v.operatorAddress, Dec.ZERO);
    if (v.tokens < 0n || v.delegatorShares.isNegative()) broken.push(`${v.operatorAddress}: negative tokens or shares`);
  }
  for (const u of staking.iterateAllUnbondingDelegations(s)) for (const e of u.entries) notBonded += e.balance;
  const bondedPool = bank.getBalance(s, staking.bondedPoolAddress, denom);
  const notBondedPool = bank.getBalance(s, staking.notBondedPoolAddress, denom);
  if (bondedPool !== bonded) broken.push(`bonded pool ${bondedPool} != Σ bonded validators' tokens ${bonded}`);
  if (notBondedPool !== notBonded) broken.push(`not-bonded pool ${notBondedPool} != Σ unbonding/unbonded tokens + unbonding entries ${notBonded}`);
  for (const d of staking.iterateAllDelegations(s)) {
    const v = staking.getValidator(s, d.validator);
    if (!v) {
      broken.push(`delegation to missing validator ${Buffer.from(d.validator).toString("hex")}`);
      continue;
    }
    shares.set(v.operatorAddress, shares.get(v.operatorAddress)!.add(d.shares));
    if (d.shares.atomics <= 0n) broken.push(`non-positive delegation shares to ${v.operatorAddress}`);
  }
  for (const v of staking.iterateValidators(s)) {
    const sum = shares.get(v.operatorAddress)!;
    if (sum.cmp(v.delegatorShares) !== 0) broken.push(`${v.operatorAddress}: delegator_shares ${v.delegatorShares} != Σ delegations ${sum}`);
  }
  return broken;
}

/** Σ of every account's balance in `denom` (must equal the supply). */
export function sumOfBalances(s: KVReader, bank: BankKeeper, auth: AuthKeeper, denom: string, parse: (a: string) => Uint8Array): bigint {
  let total = 0n;
  for (const a of auth.iterateAccounts(s)) total += bank.getBalance(s, parse(a.base.address), denom);
  return total;
}
