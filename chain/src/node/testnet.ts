// `soad testnet`: N validator homes on one machine (127.0.0.1, distinct ports), one shared genesis,
// fast consensus timeouts. Like `cometbft testnet`, but every node gets its own ports (ABCI.md §5.1).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { GenesisCoin } from "../app/genesis.js";
import { defaultAppGenesis } from "../app/genesis.js";
import { DEFAULT_CHAIN_ID } from "../constants.js";
import type { LogLevel } from "../logger/logger.js";
import { findCometbft, showNodeId } from "./cometbft.js";
import { type TomlPatch, assertSocketPathFits, homePaths, patchTomlFile } from "./config.js";
import { DEV_ACCOUNT_BALANCE, DEV_ACCOUNT_COUNT, type DevAccount, deriveDevAccounts } from "./devAccounts.js";
import {
  type GenesisDoc,
  addGenesisAccount,
  defaultConsensusParams,
  parseCoins,
  readGenesis,
  validateGenesis,
  writeGenesis,
} from "./genesisFile.js";
import { initHome, validateChainId } from "./init.js";
import { Keyring, valoperAddress } from "../keyring/keyring.js";
import { DEFAULT_COMMISSION } from "../modules/genutil/gentx.js";
import { collectGentxsInHome, gentxDir, gentxForHome } from "../modules/genutil/home.js";
import { defaultStakingParams, paramsFromJson, paramsToJson } from "../modules/staking/params.js";
import { defaultSlashingParams, paramsToJson as slashingParamsToJson, type SlashingParamsJson } from "../modules/slashing/params.js";
import type { GovParamsJson } from "../modules/gov/params.js";

/** Name of each localnet node's operator key (`<home>/keyring-test/validator.json`). */
export const VALIDATOR_KEY_NAME = "validator";
/** Genesis balance of each localnet operator account: 1000 SOA. */
export const LOCALNET_VALIDATOR_BALANCE = "1000000000usoa";
/** Self-delegation of each localnet validator's gentx: 100 SOA = voting power 100. */
export const LOCALNET_VALIDATOR_STAKE = "100000000usoa";
/** Localnet staking.params.unbonding_time (SDK default 21 days): unbondings complete within a test. */
export const LOCALNET_UNBONDING_TIME = "20s";
/** Localnet slashing: the SDK default window (100 blocks ≈ 40 s of localnet blocks), jail 30 s (default 600 s). */
export const LOCALNET_SLASHING: Partial<SlashingParamsJson> = { signed_blocks_window: "100", downtime_jail_duration: "30s" };
/** Localnet gov: proposals are decided within a minute (SDK default: 2-day deposit and voting periods). */
export const LOCALNET_GOV: Partial<GovParamsJson> = { max_deposit_period: "60s", voting_period: "20s" };

/** CometBFT `[consensus]` settings (per node, not consensus params in v0.38; ABCI.md §5.3). */
export interface ConsensusTimeouts {
  timeoutPropose: string;
  timeoutProposeDelta: string;
  timeoutPrevote: string;
  timeoutPrevoteDelta: string;
  timeoutPrecommit: string;
  timeoutPrecommitDelta: string;
  /** Pause after a commit to collect late precommits: on a healthy localnet this sets the block time. */
  timeoutCommit: string;
  skipTimeoutCommit: boolean;
  createEmptyBlocks: boolean;
  /** "0s": an empty block every timeout_commit; ">0": idle chains wait this long, txs still go at once. */
  createEmptyBlocksInterval: string;
  peerGossipSleepDuration: string;
  peerQueryMaj23SleepDuration: string;
}

/**
 * Localnet timing. In the happy path (every validator up) a height takes one proposal + two vote
 * rounds over loopback (a few ms each) + FinalizeBlock/Commit + timeout_commit, so timeout_commit
 * sets the block time (~0.3-0.4 s). timeout_propose/prevote/precommit only run out when a validator
 * is down or too slow (e.g. e2e tests that kill a node): they bound the cost of such a round while
 * leaving a loaded 2-core machine running 4 nodes (8 processes) enough slack to deliver proposals.
 */
export const LOCALNET_TIMEOUTS: ConsensusTimeouts = {
  timeoutPropose: "400ms",
  timeoutProposeDelta: "100ms",
  timeoutPrevote: "100ms",
  timeoutPrevoteDelta: "50ms",
  timeoutPrecommit: "100ms",
  timeoutPrecommitDelta: "50ms",
  timeoutCommit: "250ms",
  skipTimeoutCommit: false,
  createEmptyBlocks: true,
  createEmptyBlocksInterval: "0s",
  peerGossipSleepDuration: "10ms",
  peerQueryMaj23SleepDuration: "500ms",
};

/** Port layout: node i uses basePort + 100 i + offset. */
export const PORT_OFFSETS = { p2p: 0, rpc: 1, prometheus: 4 } as const;
export const DEFAULT_BASE_PORT = 26656;
export const PORTS_PER_NODE = 100;

export interface GenesisAccountSpec {
  address: string;
  /** "1000usoa,5stake" or parsed coins */
  coins: string | GenesisCoin[];
}

export interface TestnetOptions {
  /** Number of validators (1..50). */
  nodes: number;
  /** Directory that will hold node0/ … node{N-1}/ and testnet.json. */
  outputDir: string;
  chainId?: string;
  /** p2p port of node 0 (default 26656); rpc = +1, prometheus (off) = +4; node i adds 100·i. */
  basePort?: number;
  /** CometBFT binary (default: findCometbft()). */
  cometbftBin?: string;
  /** Fund this many dev-mnemonic accounts (HD indexes 0..n-1), default 5; 0 funds none. */
  devAccounts?: number;
  /** Balance of each dev account, default "1000000000000usoa". */
  devAccountBalance?: string;
  /** More genesis balances (merged with the dev accounts' if the address repeats). */
  accounts?: GenesisAccountSpec[];
  minGasPrices?: string;
  logLevel?: LogLevel;
  /** CometBFT's log_level in config.toml (default "info"). */
  cometbftLogLevel?: string;
  timeouts?: Partial<ConsensusTimeouts>;
  /** Delete outputDir first if it exists and is not empty (default: refuse). */
  overwrite?: boolean;
  /** Genesis balance of each node's operator account (default LOCALNET_VALIDATOR_BALANCE). */
  validatorBalance?: string;
  /** Self-delegation in each node's gentx (default LOCALNET_VALIDATOR_STAKE). */
  validatorStake?: string;
  /** staking.params.unbonding_time, e.g. "20s" (default LOCALNET_UNBONDING_TIME). */
  unbondingTime?: string;
  /** slashing.params overrides (default LOCALNET_SLASHING), e.g. { signed_blocks_window: "20" }. */
  slashing?: Partial<SlashingParamsJson>;
  /** gov.params overrides (default LOCALNET_GOV), e.g. { voting_period: "8s" }. */
  gov?: Partial<GovParamsJson>;
}

export interface TestnetNode {
  index: number;
  moniker: string;
  home: string;
  /** p2p node id (hex), as in persistent_peers */
  nodeId: string;
  /** consensus address (hex, upper case) as in CometBFT's /validators */
  validatorAddress: string;
  /** soa1… of the operator key `validator` in <home>/keyring-test (funded in genesis, signs the gentx) */
  accountAddress: string;
  /** soavaloper1… of the same key */
  operatorAddress: string;
  p2pPort: number;
  rpcPort: number;
  rpcUrl: string;
  socket: string;
}

export interface Testnet {
  chainId: string;
  outputDir: string;
  basePort: number;
  genesis: GenesisDoc;
  nodes: TestnetNode[];
  /** Funded dev accounts (index 0 = DEV_ADDRESS). */
  devAccounts: DevAccount[];
  timeouts: ConsensusTimeouts;
}

export function nodePorts(basePort: number, index: number): { p2p: number; rpc: number; prometheus: number } {
  const base = basePort + PORTS_PER_NODE * index;
  return { p2p: base + PORT_OFFSETS.p2p, rpc: base + PORT_OFFSETS.rpc, prometheus: base + PORT_OFFSETS.prometheus };
}

export function consensusPatch(t: ConsensusTimeouts): TomlPatch {
  return {
    consensus: {
      timeout_propose: t.timeoutPropose,
      timeout_propose_delta: t.timeoutProposeDelta,
      timeout_prevote: t.timeoutPrevote,
      timeout_prevote_delta: t.timeoutPrevoteDelta,
      timeout_precommit: t.timeoutPrecommit,
      timeout_precommit_delta: t.timeoutPrecommitDelta,
      timeout_commit: t.timeoutCommit,
      skip_timeout_commit: t.skipTimeoutCommit,
      create_empty_blocks: t.createEmptyBlocks,
      create_empty_blocks_interval: t.createEmptyBlocksInterval,
      peer_gossip_sleep_duration: t.peerGossipSleepDuration,
      peer_query_maj23_sleep_duration: t.peerQueryMaj23SleepDuration,
    },
  };
}

const DURATION_RE = /^[0-9]+(ns|us|µs|ms|s|m|h)$/;

/** Creates an N-validator network on 127.0.0.1 under `outputDir`. */
export async function generateTestnet(opts: TestnetOptions): Promise<Testnet> {
  const n = opts.nodes;
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new Error(`--nodes must be an integer 1..50, got ${n}`);
  const basePort = opts.basePort ?? DEFAULT_BASE_PORT;
  if (!Number.isInteger(basePort) || basePort < 1024 || nodePorts(basePort, n - 1).prometheus > 65535) {
    throw new Error(`--base-port ${basePort}: ports ${basePort}..${basePort + PORTS_PER_NODE * (n - 1) + 4} must lie in 1024..65535`);
  }
  const chainId = validateChainId(opts.chainId ?? DEFAULT_CHAIN_ID);
  const timeouts: ConsensusTimeouts = { ...LOCALNET_TIMEOUTS, ...opts.timeouts };
  for (const [k, v] of Object.entries(timeouts)) {
    if (typeof v === "string" && !DURATION_RE.test(v)) throw new Error(`timeouts.${k}: invalid duration ${JSON.stringify(v)}`);
  }
  const cometbftBin = opts.cometbftBin ?? findCometbft();
  const outputDir = resolve(opts.outputDir);
  const homes = Array.from({ length: n }, (_, i) => join(outputDir, `node${i}`));
  for (const home of homes) assertSocketPathFits(homePaths(home).socket);

  // Parse every account and parameter before touching the disk.
  const stakingParams = { ...paramsToJson(defaultStakingParams()), unbonding_time: opts.unbondingTime ?? LOCALNET_UNBONDING_TIME };
  paramsFromJson(stakingParams); // throws naming staking.params.unbonding_time
  parseCoins(opts.validatorBalance ?? LOCALNET_VALIDATOR_BALANCE);
  if (parseCoins(opts.validatorStake ?? LOCALNET_VALIDATOR_STAKE).length !== 1) throw new Error(`validatorStake must be one coin, got ${opts.validatorStake}`);
  const devAccounts = (opts.devAccounts ?? DEV_ACCOUNT_COUNT) > 0 ? await deriveDevAccounts(opts.devAccounts ?? DEV_ACCOUNT_COUNT) : [];
  const devCoins = parseCoins(opts.devAccountBalance ?? DEV_ACCOUNT_BALANCE);
  const extra = (opts.accounts ?? []).map((a) => ({
    address: a.address,
    coins: typeof a.coins === "string" ? parseCoins(a.coins) : a.coins,
  }));

  if (existsSync(outputDir) && readdirSync(outputDir).length > 0) {
    if (!opts.overwrite) throw new Error(`${outputDir} exists and is not empty; remove it or pass --overwrite`);
    rmSync(outputDir, { recursive: true, force: true });
  }
  mkdirSync(outputDir, { recursive: true });

  // 1. cometbft init per node (keys, default config), then our base patch + ports + timeouts.
  const nodes: TestnetNode[] = [];
  const inits = await Promise.all(
    homes.map((home, i) => {
      const ports = nodePorts(basePort, i);
      const patch: TomlPatch = {
        "": { log_level: opts.cometbftLogLevel ?? "info" },
        rpc: { laddr: `tcp://127.0.0.1:${ports.rpc}`, pprof_laddr: "", cors_allowed_origins: ["*"] },
        p2p: {
          laddr: `tcp://127.0.0.1:${ports.p2p}`,
          external_address: "",
          addr_book_strict: false,
          allow_duplicate_ip: true,
          pex: false,
          flush_throttle_timeout: "10ms",
        },
        instrumentation: { prometheus: false, prometheus_listen_addr: `127.0.0.1:${ports.prometheus}` },
        ...consensusPatch(timeouts),
      };
      return initHome({
        home,
        moniker: `node${i}`,
        chainId,
        cometbftBin,
        configPatch: patch,
        ...(opts.minGasPrices !== undefined ? { minGasPrices: opts.minGasPrices } : {}),
        ...(opts.logLevel !== undefined ? { logLevel: opts.logLevel } : {}),
      });
    }),
  );
  const nodeIds = await Promise.all(homes.map((home) => showNodeId(cometbftBin, home)));
  for (let i = 0; i < n; i++) {
    const ports = nodePorts(basePort, i);
    const validator = inits[i]?.genesis.validators[0];
    if (!validator) throw new Error(`node${i}: no validator in its genesis`);
    nodes.push({
      index: i,
      moniker: `node${i}`,
      home: homes[i] as string,
      nodeId: nodeIds[i] as string,
      validatorAddress: validator.address,
      accountAddress: "",
      operatorAddress: "",
      p2pPort: ports.p2p,
      rpcPort: ports.rpc,
      rpcUrl: `http://127.0.0.1:${ports.rpc}`,
      socket: homePaths(homes[i] as string).socket,
    });
  }

  // 2. persistent peers: everyone but yourself.
  for (const node of nodes) {
    const peers = nodes.filter((p) => p.index !== node.index).map((p) => `${p.nodeId}@127.0.0.1:${p.p2pPort}`);
    patchTomlFile(homePaths(node.home).configToml, { p2p: { persistent_peers: peers.join(",") } });
  }

  // 3. The genesis ceremony, as independent operators would run it (modules/genutil/README.md):
  //    node0's genesis_time and the funded accounts (dev accounts, extra accounts, one operator key
  //    per node) → every node: a `validator` key in its test-backend keyring, funded in genesis, a
  //    gentx (MsgCreateValidator self-bonding validatorStake) → node0 collects the gentxs → the
  //    resulting genesis.json (validators empty: CometBFT takes the set from InitChain) to every node.
  const first = readGenesis(homePaths(nodes[0]!.home).genesis);
  const appState = defaultAppGenesis();
  appState.staking = { params: stakingParams };
  appState.slashing = { params: { ...slashingParamsToJson(defaultSlashingParams()), ...LOCALNET_SLASHING, ...opts.slashing } };
  appState.gov = { params: { ...LOCALNET_GOV, ...opts.gov } };
  let genesis: GenesisDoc = {
    genesis_time: first.genesis_time,
    chain_id: chainId,
    initial_height: "1",
    consensus_params: defaultConsensusParams(),
    validators: [],
    app_hash: "",
    app_state: appState,
  };
  for (const acc of devAccounts) genesis = addGenesisAccount(genesis, acc.address, devCoins);
  for (const acc of extra) genesis = addGenesisAccount(genesis, acc.address, acc.coins, { append: true });
  const validatorCoins = parseCoins(opts.validatorBalance ?? LOCALNET_VALIDATOR_BALANCE);
  const stake = parseCoins(opts.validatorStake ?? LOCALNET_VALIDATOR_STAKE);
  if (stake.length !== 1) throw new Error(`validatorStake must be one coin, got ${opts.validatorStake}`);
  const keyrings = nodes.map((node) => Keyring.open({ dir: node.home, backend: "test" }));
  for (const [i, node] of nodes.entries()) {
    const { key } = await keyrings[i]!.create(VALIDATOR_KEY_NAME);
    node.accountAddress = key.address;
    node.operatorAddress = valoperAddress(key.address);
    genesis = addGenesisAccount(genesis, key.address, validatorCoins, { append: true });
  }
  for (const node of nodes) writeGenesis(homePaths(node.home).genesis, genesis);
  const collectDir = gentxDir(nodes[0]!.home);
  for (const [i, node] of nodes.entries()) {
    const { file } = await gentxForHome({
      home: node.home,
      keyring: keyrings[i]!,
      keyName: VALIDATOR_KEY_NAME,
      chainId,
      memo: `${node.nodeId}@127.0.0.1:${node.p2pPort}`,
      params: {
        description: { moniker: node.moniker },
        commissionRate: DEFAULT_COMMISSION.rate,
        commissionMaxRate: DEFAULT_COMMISSION.maxRate,
        commissionMaxChangeRate: DEFAULT_COMMISSION.maxChangeRate,
        minSelfDelegation: "1",
        value: { denom: stake[0]!.denom, amount: stake[0]!.amount },
      },
    });
    if (i > 0) {
      mkdirSync(collectDir, { recursive: true });
      copyFileSync(file, join(collectDir, basename(file)));
    }
  }
  genesis = collectGentxsInHome(nodes[0]!.home, collectDir).doc;
  const problems = validateGenesis(genesis, { chainId });
  if (problems.length > 0) throw new Error(`generated genesis is invalid:\n  ${problems.join("\n  ")}`);
  for (const node of nodes) writeGenesis(homePaths(node.home).genesis, genesis);

  const testnet: Testnet = { chainId, outputDir, basePort, genesis, nodes, devAccounts, timeouts };
  writeFileSync(
    join(outputDir, "testnet.json"),
    JSON.stringify(
      {
        chainId,
        basePort,
        nodes: nodes.map(({ index, moniker, home, nodeId, validatorAddress, accountAddress, operatorAddress, p2pPort, rpcPort, rpcUrl }) => ({
          index,
          moniker,
          home,
          nodeId,
          validatorAddress,
          accountAddress,
          operatorAddress,
          p2pPort,
          rpcPort,
          rpcUrl,
        })),
        devAccounts: devAccounts.map(({ index, hdPath, address }) => ({ index, hdPath, address })),
        timeouts,
      },
      null,
      2,
    ) + "\n",
  );
  return testnet;
}

/**
 * One more node home for a running testnet (index = net.nodes.length, its own ports, node key and
 * socket; peers = every node; the network's genesis and timeouts). It is not a validator unless
 * `validatorKeyOf` is given: then it gets a COPY of that node's priv_validator_key.json, i.e. the
 * same validator signing on two nodes (the double-sign e2e test). `timeouts` override the network's for
 * this node only; `portIndex` picks another port slot (basePort + 100·portIndex). Start it with `soad start --home`.
 */
export async function addTestnetNode(
  net: Testnet,
  opts: { validatorKeyOf?: number; timeouts?: Partial<ConsensusTimeouts>; portIndex?: number; cometbftBin?: string; minGasPrices?: string; logLevel?: LogLevel } = {},
): Promise<TestnetNode> {
  const index = net.nodes.length;
  const home = join(net.outputDir, `node${index}`);
  assertSocketPathFits(homePaths(home).socket);
  // Ports of slot `portIndex` (default: the node's index), for callers that skip slots in use.
  const ports = nodePorts(net.basePort, opts.portIndex ?? index);
  if (ports.prometheus > 65535) throw new Error(`no ports left for node${index} above base port ${net.basePort}`);
  const cometbftBin = opts.cometbftBin ?? findCometbft();
  const peers = net.nodes.map((p) => `${p.nodeId}@127.0.0.1:${p.p2pPort}`).join(",");
  await initHome({
    home,
    moniker: `node${index}`,
    chainId: net.chainId,
    cometbftBin,
    configPatch: {
      rpc: { laddr: `tcp://127.0.0.1:${ports.rpc}`, pprof_laddr: "", cors_allowed_origins: ["*"] },
      p2p: { laddr: `tcp://127.0.0.1:${ports.p2p}`, external_address: "", addr_book_strict: false, allow_duplicate_ip: true, pex: false, flush_throttle_timeout: "10ms", persistent_peers: peers },
      instrumentation: { prometheus: false, prometheus_listen_addr: `127.0.0.1:${ports.prometheus}` },
      ...consensusPatch({ ...net.timeouts, ...opts.timeouts }),
    },
    ...(opts.minGasPrices !== undefined ? { minGasPrices: opts.minGasPrices } : {}),
    ...(opts.logLevel !== undefined ? { logLevel: opts.logLevel } : {}),
  });
  writeGenesis(homePaths(home).genesis, net.genesis);
  let validatorAddress = "";
  if (opts.validatorKeyOf !== undefined) {
    const src = net.nodes[opts.validatorKeyOf];
    if (!src) throw new Error(`no node ${opts.validatorKeyOf} to copy the validator key of`);
    copyFileSync(join(src.home, "config", "priv_validator_key.json"), join(home, "config", "priv_validator_key.json"));
    validatorAddress = src.validatorAddress;
  }
  const node: TestnetNode = {
    index,
    moniker: `node${index}`,
    home,
    nodeId: await showNodeId(cometbftBin, home),
    validatorAddress,
    accountAddress: "",
    operatorAddress: "",
    p2pPort: ports.p2p,
    rpcPort: ports.rpc,
    rpcUrl: `http://127.0.0.1:${ports.rpc}`,
    socket: homePaths(home).socket,
  };
  net.nodes.push(node);
  return node;
}
