import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { APP_NAME, APP_PROTOCOL_VERSION, APP_VERSION } from "../../constants.js";
import { COMETBFT_PINNED, REPO_ROOT, cometbftVersion, findCometbft } from "../../node/cometbft.js";
import { COMETBFT_FLAGS, COMETBFT_HELP } from "../util.js";

function gitCommit(): string | undefined {
  if (!existsSync(join(REPO_ROOT, ".git"))) return undefined;
  try {
    const out = execFileSync("git", ["-C", REPO_ROOT, "rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

export function versionCommand(): Command {
  return new Command("version")
    .description("print the soad version and the pinned CometBFT version")
    .option("--long", "also print the installed CometBFT, Node.js and the git commit", false)
    .option(COMETBFT_FLAGS, COMETBFT_HELP)
    .action(async (opts: { long: boolean; cometbft?: string }) => {
      if (!opts.long) {
        process.stdout.write(`${APP_NAME} ${APP_VERSION} (CometBFT ${COMETBFT_PINNED})\n`);
        return;
      }
      let installed: string;
      try {
        installed = `${await cometbftVersion(findCometbft(opts.cometbft))}`;
      } catch (err) {
        installed = `not available (${err instanceof Error ? err.message : String(err)})`;
      }
      const lines = [
        `name: ${APP_NAME}`,
        `version: ${APP_VERSION}`,
        `app_protocol_version: ${APP_PROTOCOL_VERSION.toString()}`,
        `abci: 2.0.0`,
        `cometbft_pinned: ${COMETBFT_PINNED}`,
        `cometbft_installed: ${installed}`,
        `node: ${process.version}`,
        `commit: ${gitCommit() ?? "unknown"}`,
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
