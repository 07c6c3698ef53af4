import { Command } from "commander";
import { DEFAULT_CHAIN_ID, DEFAULT_MIN_GAS_PRICES } from "../../constants.js";
import { findCometbft } from "../../node/cometbft.js";
import { homePaths } from "../../node/config.js";
import { initHome } from "../../node/init.js";
import { COMETBFT_FLAGS, COMETBFT_HELP, HOME_FLAGS, HOME_HELP, defaultHome } from "../util.js";

export function initCommand(): Command {
  return new Command("init")
    .description("create a node home: CometBFT keys and config (patched for soad), app.toml and genesis.json")
    .argument("<moniker>", "human-readable node name")
    .option(HOME_FLAGS, HOME_HELP, defaultHome())
    .option("--chain-id <id>", "chain id written to genesis.json", DEFAULT_CHAIN_ID)
    .option("--min-gas-prices <prices>", "minimum-gas-prices written to app.toml", DEFAULT_MIN_GAS_PRICES)
    .option("--overwrite", "replace an existing config.toml, app.toml and genesis.json (keys are kept)", false)
    .option(COMETBFT_FLAGS, COMETBFT_HELP)
    .action(async (moniker: string, opts: { home: string; chainId: string; minGasPrices: string; overwrite: boolean; cometbft?: string }) => {
      const res = await initHome({
        home: opts.home,
        moniker,
        chainId: opts.chainId,
        minGasPrices: opts.minGasPrices,
        overwrite: opts.overwrite,
        cometbftBin: findCometbft(opts.cometbft),
      });
      const p = homePaths(res.home);
      const v = res.genesis.validators[0];
      process.stdout.write(
        [
          `initialized ${res.home}`,
          `  chain id   ${res.chainId}`,
          `  moniker    ${res.moniker}`,
          `  validator  ${v?.address ?? "?"}`,
          `  genesis    ${p.genesis}`,
          `  config     ${p.configToml}, ${p.appToml}`,
          `next: soad genesis add-account <soa1…> <coins> --home ${res.home}; soad start --home ${res.home}`,
          "",
        ].join("\n"),
      );
    });
}
