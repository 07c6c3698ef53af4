import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { parse as parseToml } from "smol-toml";
import { nodeIdFromPubkey, readNodeKeyPubkey } from "../../keyring/consensusKeys.js";
import { DEFAULT_COMMISSION } from "../../modules/genutil/gentx.js";
import { collectGentxsInHome, gentxDir, gentxForHome } from "../../modules/genutil/home.js";
import { homePaths } from "../../node/config.js";
import { addGenesisAccount, formatCoins, parseCoins, readGenesis, validateGenesis, writeGenesis } from "../../node/genesisFile.js";
import { type KeyringFlags, addKeyringOptions, openKeyring } from "../keys.js";
import { HOME_FLAGS, HOME_HELP, defaultHome } from "../util.js";

interface GentxFlags extends KeyringFlags {
  chainId?: string;
  moniker?: string;
  commissionRate: string;
  commissionMaxRate: string;
  commissionMaxChangeRate: string;
  minSelfDelegation: string;
  details?: string;
  website?: string;
  identity?: string;
  securityContact?: string;
  ip: string;
  outputDocument?: string;
}

/** moniker and p2p port of <home>/config/config.toml (the SDK's gentx reads them there too). */
function nodeConfig(home: string): { moniker: string; p2pPort: string } {
  const path = homePaths(home).configToml;
  let cfg: Record<string, unknown>;
  try {
    cfg = parseToml(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot read ${path} (run \`soad init\` first): ${(e as Error).message}`);
  }
  const laddr = String((cfg["p2p"] as Record<string, unknown> | undefined)?.["laddr"] ?? "");
  return { moniker: String(cfg["moniker"] ?? ""), p2pPort: /:([0-9]+)$/.exec(laddr)?.[1] ?? "26656" };
}

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
  addKeyringOptions(
    cmd
      .command("gentx")
      .description(
        "create a genesis tx (MsgCreateValidator self-delegating <amount> from key <key-name>, consensus key from config/priv_validator_key.json) " +
          "signed with account number 0, written to <home>/config/gentx/gentx-<node-id>.json; the key's account must be funded in genesis",
      )
      .argument("<key-name>", "keyring key of the operator (its soavaloper address becomes the validator)")
      .argument("<amount>", 'self-delegation, e.g. "100000000usoa"')
      .option("--chain-id <id>", "chain id (must match genesis.json; default: genesis.json's)")
      .option("--moniker <name>", "validator name (default: moniker in config.toml)")
      .option("--commission-rate <dec>", "initial commission rate", DEFAULT_COMMISSION.rate)
      .option("--commission-max-rate <dec>", "maximum commission rate", DEFAULT_COMMISSION.maxRate)
      .option("--commission-max-change-rate <dec>", "maximum daily commission change", DEFAULT_COMMISSION.maxChangeRate)
      .option("--min-self-delegation <int>", "minimum self-delegation (usoa)", "1")
      .option("--details <text>", "validator details")
      .option("--website <url>", "validator website")
      .option("--identity <id>", "identity signature (e.g. Keybase)")
      .option("--security-contact <email>", "security contact")
      .option("--ip <ip>", "this node's public IP for the memo <node-id>@<ip>:<p2p port> (persistent peers)", "127.0.0.1")
      .option("--output-document <file>", "write the gentx here instead of <home>/config/gentx/"),
  ).action(async (keyName: string, amountArg: string, opts: GentxFlags) => {
    const coins = parseCoins(amountArg);
    if (coins.length !== 1) throw new Error(`<amount> must be one coin, got ${amountArg}`);
    const home = resolve(opts.home);
    const cfg = nodeConfig(home);
    const moniker = opts.moniker ?? cfg.moniker;
    if (moniker === "") throw new Error("no moniker: pass --moniker or set moniker in config.toml");
    const kr = openKeyring(opts);
    const memoNode = nodeIdFromPubkey(readNodeKeyPubkey(homePaths(home).nodeKey));
    const { file, gentx } = await gentxForHome({
      home,
      keyring: kr,
      keyName,
      ...(opts.chainId !== undefined ? { chainId: opts.chainId } : {}),
      memo: `${memoNode}@${opts.ip}:${cfg.p2pPort}`,
      ...(opts.outputDocument !== undefined ? { outputFile: resolve(opts.outputDocument) } : {}),
      params: {
        description: {
          moniker,
          ...(opts.identity !== undefined ? { identity: opts.identity } : {}),
          ...(opts.website !== undefined ? { website: opts.website } : {}),
          ...(opts.securityContact !== undefined ? { securityContact: opts.securityContact } : {}),
          ...(opts.details !== undefined ? { details: opts.details } : {}),
        },
        commissionRate: opts.commissionRate,
        commissionMaxRate: opts.commissionMaxRate,
        commissionMaxChangeRate: opts.commissionMaxChangeRate,
        minSelfDelegation: opts.minSelfDelegation,
        value: { denom: coins[0]!.denom, amount: coins[0]!.amount },
      },
    });
    const msg = gentx.body.messages[0]!;
    process.stderr.write(`Genesis transaction written to "${file}"\n`);
    process.stdout.write(`${msg.validator_address} ${msg.value.amount}${msg.value.denom} ${file}\n`);
  });

  cmd
    .command("collect-gentxs")
    .description(
      "validate every gentx (signature, funded operator, unique operators and consensus keys) and write them into " +
        "app_state.genutil.gen_txs of genesis.json; genesis validators become empty (CometBFT takes the set from InitChain)",
    )
    .option(HOME_FLAGS, HOME_HELP, defaultHome())
    .option("--gentx-dir <dir>", "directory of gentx-*.json files (default <home>/config/gentx)")
    .action((opts: { home: string; gentxDir?: string }) => {
      const home = resolve(opts.home);
      const r = collectGentxsInHome(home, opts.gentxDir !== undefined ? resolve(opts.gentxDir) : gentxDir(home));
      for (const v of r.validators) process.stderr.write(`  ${v.operator} ${v.moniker} ${v.value.amount}${v.value.denom}\n`);
      process.stderr.write(`${r.validators.length} gentx(s) collected into ${homePaths(home).genesis}\n`);
      process.stdout.write(`persistent_peers = "${r.persistentPeers}"\n`);
    });
  return cmd;
}
