import { Command } from "commander";
import type { LogLevel } from "../../logger/logger.js";
import { startNode } from "../../node/node.js";
import { COMETBFT_FLAGS, COMETBFT_HELP, HOME_FLAGS, HOME_HELP, defaultHome, parseLogLevel } from "../util.js";

/** Broken stdout/stderr pipes (a log reader went away) must not take the node down. */
function ignoreEpipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
}

export function startCommand(): Command {
  return new Command("start")
    .summary("run the node (app + ABCI server + supervised CometBFT)")
    .description(
      "run the node: the app and its ABCI server on <home>/app.sock plus a supervised `cometbft start` child; " +
        "if either stops, both stop. SIGINT/SIGTERM stop gracefully, a second signal forces the exit",
    )
    .option(HOME_FLAGS, HOME_HELP, defaultHome())
    .option("--log-level <level>", "error | warn | info | debug (default: app.toml's log-level)", parseLogLevel)
    .option(COMETBFT_FLAGS, COMETBFT_HELP)
    .option("--stop-with-parent", "stop when the parent process exits (for test harnesses)", false)
    .action(async (opts: { home: string; logLevel?: LogLevel; cometbft?: string; stopWithParent: boolean }) => {
      ignoreEpipe(process.stdout);
      ignoreEpipe(process.stderr);
      const node = await startNode({
        home: opts.home,
        stopWithParent: opts.stopWithParent,
        ...(opts.logLevel !== undefined ? { logLevel: opts.logLevel } : {}),
        ...(opts.cometbft !== undefined ? { cometbftBin: opts.cometbft } : {}),
      });
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals++;
        if (signals === 1) {
          void node.stop(0, `received ${signal}`);
          return;
        }
        process.stderr.write(`received ${signal} again: forcing exit\n`);
        node.killCometbft();
        process.exit(signal === "SIGINT" ? 130 : 143);
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      process.on("SIGHUP", onSignal);
      process.on("uncaughtException", (err) => {
        process.stderr.write(`uncaught exception: ${err.stack ?? err.message}\n`);
        void node.stop(1, `uncaught exception: ${err.message}`);
      });
      process.on("unhandledRejection", (reason) => {
        process.stderr.write(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
        void node.stop(1, "unhandled promise rejection");
      });
      const code = await node.done;
      process.exit(code);
    });
}
