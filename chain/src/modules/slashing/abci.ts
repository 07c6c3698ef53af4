// slashing's per-block work for SoaApp.blockHooks: BeginBlock = x/slashing's (liveness of every vote
// in decided_last_commit) then x/evidence's (misbehavior). Registered after mint and distribution
// and before staking, as the SDK orders its BeginBlockers.
import type { BlockHooks } from "../../app/app.js";
import type { SlashingKeeper } from "./keeper.js";

export function slashingBlockHooks(slashing: SlashingKeeper): BlockHooks {
  return {
    beginBlock(ctx, req) {
      slashing.beginBlock(ctx, req);
    },
  };
}
