// Shared CLI helpers: default home, option parsers that fail with clear messages.
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import type { LogLevel } from "../logger/logger.js";
import { LOG_LEVELS, isLogLevel } from "../node/config.js";

/** `$SOAD_HOME`, else ~/.soad. */
export function defaultHome(): string {
  const env = process.env["SOAD_HOME"];
  return env !== undefined && env !== "" ? resolve(env) : join(homedir(), ".soad");
}

export const HOME_FLAGS = "--home <dir>";
export const HOME_HELP = "node home directory (config/, data/); env SOAD_HOME";
export const COMETBFT_FLAGS = "--cometbft <path>";
export const COMETBFT_HELP = "CometBFT binary (default: $COMETBFT_BIN, <repo>/.bin/cometbft, then $PATH)";

export function parseIntegerOption(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`${name} must be an integer, got "${value}".`);
    const n = Number.parseInt(value, 10);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, got ${n}.`);
    return n;
  };
}

export function parseLogLevel(value: string): LogLevel {
  if (!isLogLevel(value)) throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(", ")}.`);
  return value;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
