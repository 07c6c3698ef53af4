// mint's per-block work for SoaApp.blockHooks (the SDK's BeginBlocker).
import type { BlockHooks } from "../../app/app.js";
import type { MintKeeper } from "./keeper.js";

export function mintBlockHooks(mint: MintKeeper): BlockHooks {
  return {
    beginBlock(ctx) {
      mint.beginBlock(ctx);
    },
  };
}
