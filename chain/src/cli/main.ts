#!/usr/bin/env node
// soad: the SOA chain node. `soad --help` lists the commands.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { APP_VERSION } from "../constants.js";
import { genesisCommand } from "./cmds/genesis.js";
import { initCommand } from "./cmds/init.js";
import { rollbackCommand } from "./cmds/rollback.js";
import { startCommand } from "./cmds/start.js";
import { testnetCommand } from "./cmds/testnet.js";
import { versionCommand } from "./cmds/version.js";
import { keysCommand } from "./keys.js";
import { tendermintCommand } from "./tendermint.js";
import { txCommand } from "./tx.js";

export function buildProgram(): Command {
  const program = new Command("soad")
    .description("SOA chain node: a TypeScript ABCI 2.0 app supervising a pinned CometBFT")
    .version(APP_VERSION, "-v, --version", "print the soad version")
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ showGlobalOptions: true });
  for (const cmd of [
    initCommand(),
    genesisCommand(),
    keysCommand(),
    startCommand(),
    rollbackCommand(),
    testnetCommand(),
    tendermintCommand(),
    txCommand(),
    versionCommand(),
  ]) {
    program.addCommand(cmd);
  }
  // Every command, nested ones too, explains its usage errors the same way.
  const visit = (c: Command): void => {
    c.showHelpAfterError("(run with --help for usage)");
    c.commands.forEach(visit);
  };
  visit(program);
  return program;
}

/** Runs the CLI; resolves with the exit code instead of exiting (testable). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const exitOverride = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(exitOverride);
  };
  exitOverride(program);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode; // commander already printed the message
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** True when this file is the process entry point (also through the npm bin symlink). */
function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await runCli(process.argv.slice(2));
}
