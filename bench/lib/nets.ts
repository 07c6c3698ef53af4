// The two 1-node networks of the throughput benchmark, both on 127.0.0.1 only:
//   soad:    `soad testnet` layout (generateTestnet) + `soad start` (which supervises CometBFT)
//   kvstore: `cometbft init` + `cometbft start --proxy_app=kvstore` with soad's config.toml (same consensus
//            timeouts, mempool, indexer, p2p settings) and soad's block size limit.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { homePaths, patchTomlFile, type TomlPatch } from "@soa/chain/node/config";
import { runCometbft } from "@soa/chain/node/cometbft";
import { type ConsensusTimeouts, generateTestnet, type GenesisAccountSpec } from "@soa/chain/node/testnet";
import { readPidFile, sleep } from "@soa/chain/node/process";
import { type Proc, spawnLogged, stopProc, tailFile } from "./procs.js";
import { RpcClient } from "./rpc.js";
import { height } from "./load.js";

export interface BenchNet {
  name: string;
  home: string;
  rpc: RpcClient;
  rpcUrl: string;
  proc: Proc;
  /** Pids to sample for CPU time. */
  pids(): Record<string, number | undefined>;
  stop(): Promise<void>;
}

export interface SoadNetOptions {
  dir: string;
  basePort: number;
  chainId: string;
  accounts: GenesisAccountSpec[];
  timeouts: Partial<ConsensusTimeouts>;
  /** Applied to config.toml after generation (also copied to the kvstore node). */
  configPatch: TomlPatch;
  soadMain: string;
  cometbftBin: string;
  /** Extra node flags for soad, e.g. ["--cpu-prof", "--cpu-prof-dir=..."]. */
  nodeArgs: string[];
  logLevel: "error" | "warn" | "info" | "debug";
  startupTimeoutMs: number;
}

/** Waits for height 2 (blocks are being produced); stops the process if that does not happen. */
async function waitUntilProducing(rpc: RpcClient, proc: Proc, timeoutMs: number): Promise<void> {
  try {
    await waitForHeight(rpc, proc, 2, timeoutMs);
  } catch (err) {
    await stopProc(proc);
    throw err;
  }
}

async function waitForHeight(rpc: RpcClient, proc: Proc, h: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!proc.isRunning()) throw new Error(`${proc.name} exited during startup:\n${tailFile(proc.logPath, 40)}`);
    try {
      const got = await height(rpc);
      if (got >= h) return;
      last = `height ${got}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(100);
  }
  throw new Error(`${proc.name}: height ${h} not reached in ${timeoutMs} ms (${last}):\n${tailFile(proc.logPath, 40)}`);
}

export async function startSoadNet(o: SoadNetOptions): Promise<BenchNet> {
  const net = await generateTestnet({
    nodes: 1,
    outputDir: o.dir,
    basePort: o.basePort,
    chainId: o.chainId,
    accounts: o.accounts,
    timeouts: o.timeouts,
    cometbftBin: o.cometbftBin,
    logLevel: o.logLevel,
    cometbftLogLevel: "error",
    overwrite: true,
  });
  const node = net.nodes[0]!;
  const paths = homePaths(node.home);
  patchTomlFile(paths.configToml, o.configPatch);
  const logPath = join(node.home, "soad.log");
  const args = [...o.nodeArgs, o.soadMain, "start", "--home", node.home, "--stop-with-parent", "--cometbft", o.cometbftBin];
  const cometPid = (): number | undefined => readPidFile(paths.cometbftPid);
  const proc = spawnLogged("soad", process.execPath, args, logPath, process.env, () => {
    const p = cometPid();
    return p === undefined ? [] : [p];
  });
  const rpc = new RpcClient(node.rpcUrl);
  await waitUntilProducing(rpc, proc, o.startupTimeoutMs);
  return {
    name: "soad",
    home: node.home,
    rpc,
    rpcUrl: node.rpcUrl,
    proc,
    pids: () => ({ soad: proc.child.pid, cometbft: cometPid() }),
    stop: async () => {
      rpc.close();
      await stopProc(proc, 20_000);
    },
  };
}

export interface KvstoreNetOptions {
  home: string;
  basePort: number;
  /** soad's config.toml and genesis.json to mirror. */
  templateConfig: string;
  templateGenesis: string;
  cometbftBin: string;
  startupTimeoutMs: number;
}

export async function startKvstoreNet(o: KvstoreNetOptions): Promise<BenchNet> {
  await runCometbft(o.cometbftBin, ["init", "--home", o.home]);
  const configToml = join(o.home, "config", "config.toml");
  copyFileSync(o.templateConfig, configToml);
  const rpcUrl = `http://127.0.0.1:${o.basePort + 1}`;
  patchTomlFile(configToml, {
    "": { moniker: "kvstore", proxy_app: "kvstore", log_level: "error" },
    rpc: { laddr: `tcp://127.0.0.1:${o.basePort + 1}` },
    p2p: { laddr: `tcp://127.0.0.1:${o.basePort}`, persistent_peers: "" },
    instrumentation: { prometheus: false, prometheus_listen_addr: `127.0.0.1:${o.basePort + 4}` },
  });
  // Same block limits as the soad network (its genesis sets max_bytes/max_gas).
  const genesisPath = join(o.home, "config", "genesis.json");
  const genesis = JSON.parse(readFileSync(genesisPath, "utf8")) as { consensus_params: { block: unknown } };
  const template = JSON.parse(readFileSync(o.templateGenesis, "utf8")) as { consensus_params: { block: unknown } };
  genesis.consensus_params.block = template.consensus_params.block;
  writeFileSync(genesisPath, JSON.stringify(genesis, null, 2));
  const proc = spawnLogged("kvstore", o.cometbftBin, ["start", "--home", o.home], join(o.home, "cometbft.log"));
  const rpc = new RpcClient(rpcUrl);
  await waitUntilProducing(rpc, proc, o.startupTimeoutMs);
  return {
    name: "kvstore",
    home: o.home,
    rpc,
    rpcUrl,
    proc,
    pids: () => ({ cometbft: proc.child.pid }),
    stop: async () => {
      rpc.close();
      await stopProc(proc, 15_000);
    },
  };
}

/** `committed block` lines of soad's log: height → ms (FinalizeBlock start to Commit end), txs. */
export function parseCommittedBlocks(logPath: string): Map<number, { ms: number; txs: number; failed: number }> {
  const out = new Map<number, { ms: number; txs: number; failed: number }>();
  let text = "";
  try {
    text = readFileSync(logPath, "utf8");
  } catch {
    return out;
  }
  for (const line of text.split("\n")) {
    if (!line.includes('msg="committed block"')) continue;
    const h = /\bheight=(\d+)/.exec(line);
    const ms = /\bms=(\d+(?:\.\d+)?)/.exec(line);
    const txs = /\btxs=(\d+)/.exec(line);
    const failed = /\bfailed=(\d+)/.exec(line);
    if (h && ms) out.set(Number(h[1]), { ms: Number(ms[1]), txs: Number(txs?.[1] ?? 0), failed: Number(failed?.[1] ?? 0) });
  }
  return out;
}
