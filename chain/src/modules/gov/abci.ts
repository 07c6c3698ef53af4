// gov's per-block work for SoaApp.blockHooks: EndBlock drops proposals whose deposit period ended and
// tallies those whose voting period ended (executing passed ones). Registered before staking's hooks,
// as in the SDK (gov's EndBlocker runs before staking's), so it tallies against the set of this block.
import type { BlockHooks } from "../../app/app.js";
import type { GovKeeper } from "./keeper.js";

export function govBlockHooks(gov: GovKeeper): BlockHooks {
  return {
    endBlock(ctx) {
      gov.endBlock(ctx);
      return [];
    },
  };
}
