// npm run deploy -- --network localnet|<rpc url> [--mnemonic-file f] [--hd-index i] [--out-dir d] [--wasm-dir d]
// (`make deploy` = --network localnet). Uploads and instantiates model-nft, licensing and marketplace
// (idempotent; see deploy.ts) and writes deployments/<chain-id>.json.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_RPC, DEV_MNEMONIC } from "../constants.js";
import { NodeUnreachableError } from "../clients.js";
import { DeployError, deployContracts } from "./deploy.js";

/** The repository root (this file is client/dist/deploy/cli.js once built). */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const USAGE = `usage: npm run deploy -- --network localnet|<rpc url> [--mnemonic-file <file>] [--hd-index <i>]
                         [--out-dir <dir, default deployments/>] [--wasm-dir <dir, default contracts-as/build/>]
  localnet = ${DEFAULT_RPC} with the public dev mnemonic (HD index 0 unless --hd-index).
  Other networks need --mnemonic-file (a file holding the BIP-39 mnemonic of a funded account).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      network: { type: "string", default: "localnet" },
      "mnemonic-file": { type: "string" },
      "hd-index": { type: "string", default: "0" },
      "out-dir": { type: "string", default: `${ROOT}deployments` },
      "wasm-dir": { type: "string", default: `${ROOT}contracts-as/build` },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const network = values.network!;
  const localnet = network === "localnet";
  if (!localnet && !/^(https?|wss?):\/\//.test(network)) throw new DeployError(`--network must be "localnet" or an RPC URL (http://host:26657), got ${network}\n${USAGE}`);
  const hdIndex = Number(values["hd-index"]);
  if (!Number.isInteger(hdIndex) || hdIndex < 0) throw new DeployError(`--hd-index must be a non-negative integer, got ${values["hd-index"]}`);
  let mnemonic = DEV_MNEMONIC;
  const file = values["mnemonic-file"];
  if (file) {
    try {
      mnemonic = readFileSync(file, "utf8").trim().split(/\s+/).join(" ");
    } catch (e) {
      throw new DeployError(`cannot read --mnemonic-file ${file}: ${(e as Error).message}`);
    }
  }
  await deployContracts({
    rpc: localnet ? DEFAULT_RPC : network,
    mnemonic,
    hdIndex,
    wasmDir: values["wasm-dir"]!,
    outDir: values["out-dir"]!,
    // Without a mnemonic file we sign with the public dev mnemonic: only ever on a localnet.
    localnetOnly: !file,
  });
}

main().catch((e: unknown) => {
  if (e instanceof DeployError || e instanceof NodeUnreachableError) {
    console.error(`deploy: error: ${e.message}`);
  } else if (e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS")) {
    console.error(`deploy: error: ${e.message}\n${USAGE}`);
  } else {
    console.error("deploy: error:", e instanceof Error ? (e.stack ?? e.message) : e);
  }
  process.exitCode = 1;
});
