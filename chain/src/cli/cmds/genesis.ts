import { Command } from "commander";
import { homePaths } from "../../node/config.js";
import { addGenesisAccount, formatCoins, parseCoins, readGenesis, validateGenesis, writeGenesis } from "../../node/genesisFile.js";
import { HOME_FLAGS, HOME_HELP, defaultHome } from "../util.js";

export function genesisCommand(): Command {
  const cmd = new Command("genesis").description("inspect and edit <home>/config/genesis.json");

  cmd
    .command("add-account")
    .description("fund an account in genesis (app_state.bank.balances; supply is kept equal to the sum)")
    .argument("<address>", "bech32 account address with prefix soa")
    .argument("<coins>", 'comma-separated coins, e.g. "1000000usoa,5stake"')
    .option(HOME_FLAGS, HOME_HELP, defaultHome())
    .option("--append", "add to the balance of an account that is already funded", false)
    .action((address: string, coinsArg: string, opts: { home: string; append: boolean }) => {
      const path = homePaths(opts.home).genesis;
      const coins = parseCoins(coinsArg);
      const doc = addGenesisAccount(readGenesis(path), address, coins, { append: opts.append });
      writeGenesis(path, doc);
      const bal = doc.app_state.bank.balances.find((b) => b.address === address);
      process.stdout.write(`${address} ${formatCoins(bal?.coins ?? coins)}\n`);
    });

  cmd
    .command("validate")
    .description("check genesis.json: JSON shape, chain id, validators, accounts (no duplicates), coins, supply")
    .option(HOME_FLAGS, HOME_HELP, defaultHome())
    .option("--chain-id <id>", "also require this chain id")
    .action((opts: { home: string; chainId?: string }) => {
      const path = homePaths(opts.home).genesis;
      const doc = readGenesis(path);
      const problems = validateGenesis(doc, opts.chainId !== undefined ? { chainId: opts.chainId } : {});
      if (problems.length > 0) {
        throw new Error(`${path} is invalid:\n  - ${problems.join("\n  - ")}`);
      }
      process.stdout.write(
        `${path} is valid: chain id ${doc.chain_id}, ${doc.validators.length} validator(s), ` +
          `${doc.app_state.bank.balances.length} funded account(s)\n`,
      );
    });
  return cmd;
}
