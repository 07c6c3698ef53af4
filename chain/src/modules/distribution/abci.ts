// distribution's per-block work for SoaApp.blockHooks (the SDK's BeginBlocker): allocate the fee
// collector to the validators of decided_last_commit. Registered after mint (so that this block's
// PoS share is included) and before staking (whose EndBlock changes the set after allocation).
import type { BlockHooks } from "../../app/app.js";
import type { DistributionKeeper } from "./keeper.js";

export function distributionBlockHooks(distribution: DistributionKeeper, feeCollector: Uint8Array): BlockHooks {
  return {
    beginBlock(ctx, req) {
      const votes = (req.decidedLastCommit?.votes ?? []).map((v) => ({ address: v.validator?.address ?? new Uint8Array(), power: v.validator?.power ?? 0n }));
      distribution.beginBlock(ctx, votes, feeCollector);
    },
  };
}
