// mint: the inflation schedule's state (params, minter) and the per-block issuance. The only code
// that touches the mint prefixes; it moves coins only through the bank keeper.
import type { Context } from "../../app/context.js";
import { Minter as MinterProto, Params as ParamsProto } from "../../gen/soa/mint/v1/mint.js";
import { key, Prefix } from "../../store/prefixes.js";
import type { KVReader, KVStore } from "../../store/types.js";
import { formatAddress } from "../../types/address.js";
import type { Dec } from "../../types/dec.js";
import { type AuthKeeper, FEE_COLLECTOR, MINT_MODULE, moduleAddress, WORK_POOL } from "../auth/keeper.js";
import type { BankKeeper } from "../bank/keeper.js";
import { blockProvision, nextAnnualProvisions, nextInflationRate, splitProvision } from "./minter.js";
import {
  defaultMinter,
  defaultMintParams,
  type Minter,
  minterFromProto,
  minterToProto,
  type MintParams,
  paramsFromProto,
  paramsToProto,
} from "./params.js";

const PARAMS_KEY = key(Prefix.MintParams);
const MINTER_KEY = key(Prefix.MintMinter);

/** Permission of the mint module account (the SDK's authtypes.Minter). */
export const MINTER_PERMISSION = "minter";

export interface MintKeeperOptions {
  /**
   * Bonded share of the staking supply, read at the start of each block (the SDK's
   * StakingKeeper.BondedRatio). There is no staking module yet, so the app passes `() => Dec.ZERO`:
   * inflation then rises by inflation_rate_change per year until inflation_max.
   */
  bondedRatio: (s: KVReader) => Dec;
}

/** What one block's BeginBlock minted (also in the `mint` and `mint_split` events). */
export interface BlockMint {
  bondedRatio: Dec;
  minter: Minter;
  amount: bigint;
  toFeeCollector: bigint;
  toWorkPool: bigint;
}

export class MintKeeper {
  readonly mintAddress = moduleAddress(MINT_MODULE);
  readonly workPoolAddress = moduleAddress(WORK_POOL);
  readonly feeCollectorAddress = moduleAddress(FEE_COLLECTOR);

  constructor(
    private readonly auth: AuthKeeper,
    private readonly bank: BankKeeper,
    private readonly opts: MintKeeperOptions,
  ) {}

  getParams(s: KVReader): MintParams {
    const v = s.get(PARAMS_KEY);
    return v ? paramsFromProto(ParamsProto.decode(v)) : defaultMintParams();
  }

  setParams(s: KVStore, p: MintParams): void {
    s.set(PARAMS_KEY, ParamsProto.encode(paramsToProto(p)).finish());
  }

  getMinter(s: KVReader): Minter {
    const v = s.get(MINTER_KEY);
    return v ? minterFromProto(MinterProto.decode(v)) : defaultMinter();
  }

  setMinter(s: KVStore, m: Minter): void {
    s.set(MINTER_KEY, MinterProto.encode(minterToProto(m)).finish());
  }

  /** Genesis: stores params and minter and creates the module accounts (numbers fixed at genesis). */
  initGenesis(s: KVStore, minter: Minter, params: MintParams): void {
    this.setParams(s, params);
    this.setMinter(s, minter);
    this.auth.ensureModuleAccount(s, MINT_MODULE, [MINTER_PERMISSION]);
    this.auth.ensureModuleAccount(s, WORK_POOL);
  }

  bondedRatio(s: KVReader): Dec {
    return this.opts.bondedRatio(s);
  }

  /**
   * The SDK's BeginBlocker: next inflation from the bonded ratio, annual provisions from the supply
   * of the mint denom before this block's minting, mint the block provision into the mint module
   * account, then pay pos_share (rounded down) to the fee collector and the rest to the work pool.
   */
  beginBlock(ctx: Context): BlockMint {
    const params = this.getParams(ctx.store);
    const bondedRatio = this.opts.bondedRatio(ctx.store);
    const previous = this.getMinter(ctx.store);
    const inflation = nextInflationRate(previous, params, bondedRatio);
    const annualProvisions = nextAnnualProvisions({ ...previous, inflation }, this.bank.getSupply(ctx.store, params.mintDenom));
    const minter: Minter = { inflation, annualProvisions };
    this.setMinter(ctx.store, minter);
    const amount = blockProvision(minter, params);
    const { pos, work } = splitProvision(amount, params.posShare);
    const denom = params.mintDenom;
    if (amount > 0n) this.bank.mintCoins(ctx, this.mintAddress, [{ denom, amount }]);
    if (pos > 0n) this.bank.sendCoins(ctx, this.mintAddress, this.feeCollectorAddress, [{ denom, amount: pos }]);
    if (work > 0n) this.bank.sendCoins(ctx, this.mintAddress, this.workPoolAddress, [{ denom, amount: work }]);
    ctx.events.emit("mint", [
      ["bonded_ratio", bondedRatio.toString()],
      ["inflation", inflation.toString()],
      ["annual_provisions", annualProvisions.toString()],
      ["amount", amount.toString()],
    ]);
    ctx.events.emit("mint_split", [
      ["denom", denom],
      ["amount", amount.toString()],
      ["pos_share", params.posShare.toString()],
      ["fee_collector", formatAddress(this.feeCollectorAddress)],
      ["fee_collector_amount", pos.toString()],
      ["work_pool", formatAddress(this.workPoolAddress)],
      ["work_pool_amount", work.toString()],
    ]);
    return { bondedRatio, minter, amount, toFeeCollector: pos, toWorkPool: work };
  }
}
