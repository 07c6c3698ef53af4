import { Command } from "commander";
import type { LogLevel } from "../../logger/logger.js";
import { type RunningNode, startNode } from "../../node/node.js";
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
      // Handlers go in before anything starts: a signal that arrives while the app opens or CometBFT
      // spawns is remembered and acted on as soon as the node is up.
      let node: RunningNode | undefined;
      let pending: string | undefined;
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals++;
        if (signals === 1) {
          if (node) void node.stop(0, `received ${signal}`);
          else pending = `received ${signal} during startup`;
          return;
        }
        process.stderr.write(`received ${signal} again: forcing exit\n`);
        node?.killCometbft();
        process.exit(signal === "SIGINT" ? 130 : 143);
      };
      const onUncaught = (err: Error): void => {
        process.stderr.write(`uncaught exception: ${err.stack ?? err.message}\n`);
        if (node) void node.stop(1, `uncaught exception: ${err.message}`);
        else process.exit(1);
      };
      const onUnhandled = (reason: unknown): void => {
        process.stderr.write(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
        if (node) void node.stop(1, "unhandled promise rejection");
        else process.exit(1);
      };
      const signalNames: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
      for (const s of signalNames) process.on(s, onSignal);
      process.on("uncaughtException", onUncaught);
      process.on("unhandledRejection", onUnhandled);
      try {
        node = await startNode({
          home: opts.home,
          stopWithParent: opts.stopWithParent,
          ...(opts.logLevel !== undefined ? { logLevel: opts.logLevel } : {}),
          ...(opts.cometbft !== undefined ? { cometbftBin: opts.cometbft } : {}),
        });
      } catch (err) {
        // nothing runs any more: leave the process as we found it (the error is reported by main)
        for (const s of signalNames) process.off(s, onSignal);
        process.off("uncaughtException", onUncaught);
        process.off("unhandledRejection", onUnhandled);
        throw err;
      }
      if (pending !== undefined) void node.stop(0, pending);
      const code = await node.done;
      process.exit(code);
    });
}
