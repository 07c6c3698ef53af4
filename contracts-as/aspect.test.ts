// Runs every as-pect suite of contracts-as (AssemblyScript unit tests) as part of `make test`, so their
// results count in the one summary line: the shared config (SDK and <contract>/__tests__ on the
// common mocked host) and each contract's own config where it needs its own mocked host.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));

const configs = [
  "contracts-as/as-pect.config.js",
  ...readdirSync(here, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "as-pect.config.js")))
    .map((d) => `contracts-as/${d.name}/as-pect.config.js`)
    .sort(),
];

describe("contracts-as (as-pect)", () => {
  it.each(configs)("every test of %s passes", (config) => {
    const r = spawnSync("npx", ["asp", "--config", config, "--as-config", "contracts-as/as-pect.asconfig.json", "--no-logo"], {
      cwd: root,
      encoding: "utf8",
      timeout: 180_000,
    });
    // eslint-disable-next-line no-control-regex
    const out = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    expect(r.status, out).toBe(0);
    expect(out).toMatch(/\[Result\]:.*Pass/);
    const m = /\[Tests\]:\D*(\d+)\D+\/ (\d+)/.exec(out);
    expect(m, out).not.toBeNull();
    expect(m![1]).toBe(m![2]);
  }, 300_000); // each suite compiles AssemblyScript: slow on a busy 2-core machine
});
