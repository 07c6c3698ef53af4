// The harness of the soad CLI tests (chain/src/cli/*.test.ts): a temp root removed after the file, and
// stdout/stderr captured per test instead of printed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { runCli } from "../../src/cli/main.js";

export interface CliHarness {
  /** A temp directory for homes and files, removed after the file's tests. */
  readonly root: string;
  /** What the current test printed so far (cleared before each test and by `run`). */
  readonly out: string;
  readonly err: string;
  /** runCli with the captures cleared first: `out` and `err` hold this command's output alone. */
  run(args: string[]): Promise<number>;
}

/** Registers the hooks (call it at the top level of a test file). */
export function cliHarness(prefix: string): CliHarness {
  const io = { root: mkdtempSync(join(tmpdir(), prefix)), out: "", err: "" };
  const clear = (): void => {
    io.out = "";
    io.err = "";
  };
  afterAll(() => rmSync(io.root, { recursive: true, force: true }));
  beforeEach(() => {
    clear();
    vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((io.out += String(s)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => ((io.err += String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  return Object.assign(io, {
    run: (args: string[]): Promise<number> => {
      clear();
      return runCli(args);
    },
  });
}
