import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_CHAIN_ID, DEFAULT_MIN_GAS_PRICES } from "../../constants.js";
import { findCometbft } from "../../node/cometbft.js";
import { DEV_ACCOUNT_BALANCE, DEV_ACCOUNT_COUNT } from "../../node/devAccounts.js";
import {
  DEFAULT_BASE_PORT,
  type GenesisAccountSpec,
  LOCALNET_UNBONDING_TIME,
  LOCALNET_VALIDATOR_BALANCE,
  LOCALNET_VALIDATOR_STAKE,
  generateTestnet,
} from "../../node/testnet.js";
import { COMETBFT_FLAGS, COMETBFT_HELP, collect, parseIntegerOption } from "../util.js";

function parseAccount(spec: string): GenesisAccountSpec {
  const eq = spec.indexOf("=");
  if (eq <= 0 || eq === spec.length - 1) throw new InvalidArgumentError(`expected <address>=<coins>, got "${spec}".`);
  return { address: spec.slice(0, eq), coins: spec.slice(eq + 1) };
}

export function testnetCommand(): Command {
  return new Command("testnet")
    .summary("create N validator homes for a one-machine network")
    .description(
      "create N validator homes for one machine: distinct 127.0.0.1 ports (node i: p2p base+100i, rpc base+1+100i), " +
        "one genesis formed by gentx + collect-gentxs (each node: a `validator` key in its test keyring, funded, self-bonding " +
        "--validator-stake), persistent peers, fast localnet timeouts, short unbonding/slashing/gov periods, funded dev accounts",
    )
    .requiredOption("--output <dir>", "directory for node0/ … node{N-1}/ and testnet.json")
    .option("--nodes <n>", "number of validators", parseIntegerOption("--nodes", 1, 50), 1)
    .option("--chain-id <id>", "chain id", DEFAULT_CHAIN_ID)
    .option("--base-port <port>", "p2p port of node 0", parseIntegerOption("--base-port", 1024, 65535), DEFAULT_BASE_PORT)
    .option("--dev-accounts <n>", "fund the dev mnemonic's HD indexes 0..n-1", parseIntegerOption("--dev-accounts", 0, 100), DEV_ACCOUNT_COUNT)
    .option("--dev-balance <coins>", "genesis balance of each dev account", DEV_ACCOUNT_BALANCE)
    .option("--account <address=coins>", "fund another account (repeatable)", collect, [])
    .option("--min-gas-prices <prices>", "minimum-gas-prices of every node's app.toml", DEFAULT_MIN_GAS_PRICES)
    .option("--validator-balance <coins>", "genesis balance of each node's operator key", LOCALNET_VALIDATOR_BALANCE)
    .option("--validator-stake <coin>", "self-delegation in each node's gentx (power = amount / 10^6)", LOCALNET_VALIDATOR_STAKE)
    .option("--unbonding-time <duration>", 'staking.params.unbonding_time, e.g. "20s"', LOCALNET_UNBONDING_TIME)
    .option("--overwrite", "delete --output first if it is not empty", false)
    .option(COMETBFT_FLAGS, COMETBFT_HELP)
    .action(
      async (opts: {
        output: string;
        nodes: number;
        chainId: string;
        basePort: number;
        devAccounts: number;
        devBalance: string;
        account: string[];
        minGasPrices: string;
        validatorBalance: string;
        validatorStake: string;
        unbondingTime: string;
        overwrite: boolean;
        cometbft?: string;
      }) => {
        const net = await generateTestnet({
          nodes: opts.nodes,
          outputDir: opts.output,
          chainId: opts.chainId,
          basePort: opts.basePort,
          devAccounts: opts.devAccounts,
          devAccountBalance: opts.devBalance,
          accounts: opts.account.map(parseAccount),
          minGasPrices: opts.minGasPrices,
          validatorBalance: opts.validatorBalance,
          validatorStake: opts.validatorStake,
          unbondingTime: opts.unbondingTime,
          overwrite: opts.overwrite,
          cometbftBin: findCometbft(opts.cometbft),
        });
        const out = [`created ${net.nodes.length}-validator testnet ${net.chainId} in ${net.outputDir}`];
        for (const n of net.nodes) {
          out.push(`  ${n.moniker}  p2p 127.0.0.1:${n.p2pPort}  rpc ${n.rpcUrl}  id ${n.nodeId}  operator ${n.operatorAddress}  home ${n.home}`);
        }
        for (const a of net.devAccounts) out.push(`  account ${a.index}  ${a.address}  (${a.hdPath})`);
        out.push(`start each node with: soad start --home ${net.outputDir}/node<i>`, "");
        process.stdout.write(out.join("\n"));
      },
    );
}
