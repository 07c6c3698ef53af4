// Node configuration files under <home>/config:
//   config.toml  CometBFT's own config, patched in place (comments kept) by `soad init` / `soad testnet`
//   app.toml     soad's config (minimum gas prices, log level)
//   genesis.json shared genesis (see genesisFile.ts)
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml, stringify as stringifyToml } from "smol-toml";
import { DEFAULT_MIN_GAS_PRICES } from "../constants.js";
import type { LogLevel } from "../logger/logger.js";

export type TomlScalar = string | number | boolean;
export type TomlPatchValue = TomlScalar | readonly string[];
/** section ("" = top level) → key → value */
export type TomlPatch = Record<string, Record<string, TomlPatchValue>>;

export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

export function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

export interface HomePaths {
  home: string;
  configDir: string;
  configToml: string;
  appToml: string;
  genesis: string;
  nodeKey: string;
  privValidatorKey: string;
  dataDir: string;
  /** LMDB files of the application (kept apart from CometBFT's databases). */
  appDataDir: string;
  socket: string;
  soadPid: string;
  cometbftPid: string;
}

export function homePaths(home: string): HomePaths {
  const configDir = join(home, "config");
  const dataDir = join(home, "data");
  return {
    home,
    configDir,
    configToml: join(configDir, "config.toml"),
    appToml: join(configDir, "app.toml"),
    genesis: join(configDir, "genesis.json"),
    nodeKey: join(configDir, "node_key.json"),
    privValidatorKey: join(configDir, "priv_validator_key.json"),
    dataDir,
    appDataDir: join(dataDir, "application"),
    socket: join(home, "app.sock"),
    soadPid: join(home, "soad.pid"),
    cometbftPid: join(home, "cometbft.pid"),
  };
}

/** Longest unix socket path Linux accepts (sun_path is 108 bytes incl. the NUL). */
export const MAX_UNIX_SOCKET_PATH = 107;

export function assertSocketPathFits(socketPath: string): void {
  if (Buffer.byteLength(socketPath) > MAX_UNIX_SOCKET_PATH) {
    throw new Error(
      `ABCI socket path is ${Buffer.byteLength(socketPath)} bytes, longer than the ${MAX_UNIX_SOCKET_PATH} a unix socket allows: ` +
        `${socketPath} (use a shorter --home)`,
    );
  }
}

function formatTomlValue(value: TomlPatchValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`only integer TOML numbers are supported, got ${value}`);
    return String(value);
  }
  return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
}

const HEADER_RE = /^\s*\[([A-Za-z0-9_.-]+)\]\s*(#.*)?$/;

function keyLineRe(key: string): RegExp {
  return new RegExp(`^\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*=`);
}

/** How many lines a `key = value` entry spans (multi-line arrays end at the bracket that closes them). */
function entryLength(lines: readonly string[], start: number): number {
  const first = lines[start] ?? "";
  const value = first.slice(first.indexOf("=") + 1).trim();
  if (!value.startsWith("[")) return 1;
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, "").replace(/#.*$/, "");
    const from = i === start ? line.indexOf("=") + 1 : 0;
    for (const ch of line.slice(from)) {
      if (ch === "[") depth++;
      else if (ch === "]") depth--;
    }
    if (depth <= 0) return i - start + 1;
  }
  return lines.length - start;
}

/**
 * Sets keys in a TOML document given as text, keeping every comment and the layout of untouched
 * lines (CometBFT's config.toml documents each key in comments). Keys that do not exist yet are
 * added at the end of their section; missing sections are appended. The result is parsed back and
 * every patched value is checked.
 */
export function patchTomlText(text: string, patch: TomlPatch): string {
  const lines = text.split("\n");
  for (const [section, entries] of Object.entries(patch)) {
    for (const [key, value] of Object.entries(entries)) {
      const rendered = `${key} = ${formatTomlValue(value)}`;
      // Locate the section: [start, end) are its body lines.
      let start = 0;
      let end = lines.length;
      if (section !== "") {
        const header = lines.findIndex((l) => HEADER_RE.exec(l)?.[1] === section);
        if (header < 0) {
          if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
          lines.push("", `[${section}]`, rendered, "");
          continue;
        }
        start = header + 1;
      }
      for (let i = start; i < lines.length; i++) {
        if (HEADER_RE.test(lines[i] ?? "")) {
          end = i;
          break;
        }
      }
      const re = keyLineRe(key);
      let found = -1;
      for (let i = start; i < end; i++) {
        if (re.test(lines[i] ?? "")) {
          found = i;
          break;
        }
      }
      if (found >= 0) {
        lines.splice(found, entryLength(lines, found), rendered);
      } else {
        // after the last non-blank line of the section
        let at = end;
        while (at > start && (lines[at - 1] ?? "").trim() === "") at--;
        lines.splice(at, 0, rendered);
      }
    }
  }
  const out = lines.join("\n");
  const parsed = parseToml(out) as Record<string, unknown>;
  for (const [section, entries] of Object.entries(patch)) {
    const table = (section === "" ? parsed : parsed[section]) as Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(entries)) {
      const got = table?.[key];
      if (JSON.stringify(got) !== JSON.stringify(value)) {
        throw new Error(`TOML patch of ${section ? `[${section}] ` : ""}${key} did not take (got ${JSON.stringify(got)})`);
      }
    }
  }
  return out;
}

export function patchTomlFile(path: string, patch: TomlPatch): void {
  writeFileSync(path, patchTomlText(readFileSync(path, "utf8"), patch));
}

export function readTomlFile(path: string): Record<string, unknown> {
  try {
    return parseToml(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// app.toml

export interface AppConfig {
  /** e.g. "0.0025usoa": CheckTx rejects txs whose fee is below gas × price. */
  minimumGasPrices: string;
  logLevel: LogLevel;
}

export const DEFAULT_APP_CONFIG: AppConfig = { minimumGasPrices: DEFAULT_MIN_GAS_PRICES, logLevel: "info" };

/** `0.0025usoa` or `0.0025usoa,1stake`: decimal amounts, denoms as in coins. */
const GAS_PRICES_RE = /^(\d+(\.\d+)?[a-zA-Z][a-zA-Z0-9/:._-]{2,127})(,\d+(\.\d+)?[a-zA-Z][a-zA-Z0-9/:._-]{2,127})*$/;

export function validateMinGasPrices(s: string): string {
  if (s !== "" && !GAS_PRICES_RE.test(s)) {
    throw new Error(`invalid minimum-gas-prices ${JSON.stringify(s)}: expected e.g. "0.0025usoa" or ""`);
  }
  return s;
}

export function writeAppToml(path: string, cfg: AppConfig): void {
  const header =
    "# soad application config (CometBFT's own settings are in config.toml next to this file)\n" +
    "#\n" +
    "# minimum-gas-prices: this node's mempool rejects txs whose fee is below gas_limit x price\n" +
    "#   (a node-local setting, not consensus; e.g. \"0.0025usoa\"; \"\" accepts zero fees).\n" +
    "# log-level: error | warn | info | debug (`soad start --log-level` overrides it).\n\n";
  writeFileSync(
    path,
    header + stringifyToml({ "minimum-gas-prices": cfg.minimumGasPrices, "log-level": cfg.logLevel }) + "\n",
  );
}

export function readAppToml(path: string): AppConfig {
  const raw = readTomlFile(path);
  const mgp = raw["minimum-gas-prices"] ?? DEFAULT_APP_CONFIG.minimumGasPrices;
  const level = raw["log-level"] ?? DEFAULT_APP_CONFIG.logLevel;
  if (typeof mgp !== "string") throw new Error(`${path}: minimum-gas-prices must be a string`);
  if (typeof level !== "string" || !isLogLevel(level)) {
    throw new Error(`${path}: log-level must be one of ${LOG_LEVELS.join(", ")}`);
  }
  return { minimumGasPrices: validateMinGasPrices(mgp), logLevel: level };
}
