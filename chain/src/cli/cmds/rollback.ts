import { existsSync } from "node:fs";
import { Command } from "commander";
import { SoaApp } from "../../app/app.js";
import { findCometbft, runCometbft } from "../../node/cometbft.js";
import { homePaths } from "../../node/config.js";
import { livePidFromFile, SOAD_CMDLINE } from "../../node/process.js";
import { COMETBFT_FLAGS, COMETBFT_HELP, HOME_FLAGS, HOME_HELP, defaultHome } from "../util.js";

export function rollbackCommand(): Command {
  return new Command("rollback")
    .summary("undo the last committed block (CometBFT state and app state)")
    .description(
      "undo the last committed block, e.g. after an app-hash split was fixed: runs `cometbft rollback` " +
        "(CometBFT forgets the state of height H but keeps the block) and rolls the app back to H-1; the " +
        "next `soad start` re-executes block H. The app keeps undo records for its last 2 blocks. The node must be stopped",
    )
    .option(HOME_FLAGS, HOME_HELP, defaultHome())
    .option(COMETBFT_FLAGS, COMETBFT_HELP)
    .option("--app-only", "roll back only the app state (when CometBFT was already rolled back)", false)
    .action(async (opts: { home: string; cometbft?: string; appOnly: boolean }) => {
      const paths = homePaths(opts.home);
      if (!existsSync(paths.appDataDir)) throw new Error(`no app state in ${paths.appDataDir}: is --home right?`);
      const running = livePidFromFile(paths.soadPid, SOAD_CMDLINE);
      if (running !== undefined) throw new Error(`soad is running (pid ${running}): stop the node first`);
      if (!opts.appOnly) {
        const out = await runCometbft(findCometbft(opts.cometbft), ["rollback", "--home", opts.home]);
        process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
      }
      const app = await SoaApp.open({ dataDir: paths.appDataDir });
      try {
        const { height, appHash } = app.rollback();
        process.stdout.write(`app rolled back to height ${height}, app hash ${Buffer.from(appHash).toString("hex").toUpperCase()}\n`);
      } finally {
        await app.close();
      }
    });
}
