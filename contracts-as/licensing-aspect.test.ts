// Runs the licensing contract's as-pect suite (contracts-as/licensing/spec, on its own mocked host with a
// fake cw721 answering owner_of / nft_info: licensing/as-pect.config.js) as part of `make test`.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("licensing contract (as-pect)", () => {
  it("every as-pect test passes", () => {
    const r = spawnSync(
      "npx",
      ["asp", "--config", "contracts-as/licensing/as-pect.config.js", "--as-config", "contracts-as/as-pect.asconfig.json", "--no-logo"],
      { cwd: root, encoding: "utf8", timeout: 120_000 },
    );
    // eslint-disable-next-line no-control-regex
    const out = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    expect(r.status, out).toBe(0);
    expect(out).toMatch(/\[Result\]:.*Pass/);
    const m = /\[Tests\]:\D*(\d+)\D+\/ (\d+)/.exec(out);
    expect(m, out).not.toBeNull();
    expect(m![1]).toBe(m![2]);
  });
});
