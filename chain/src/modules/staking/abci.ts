// staking's per-block work for SoaApp.blockHooks: BeginBlock keeps historical info (if
// historical_entries > 0); EndBlock applies the validator set and matures unbondings/redelegations.
import type { BlockHooks } from "../../app/app.js";
import type { StakingKeeper } from "./keeper.js";

export function stakingBlockHooks(staking: StakingKeeper): BlockHooks {
  return {
    beginBlock(ctx, req) {
      staking.trackHistoricalInfo(ctx, req);
    },
    endBlock(ctx) {
      return staking.endBlock(ctx);
    },
  };
}
