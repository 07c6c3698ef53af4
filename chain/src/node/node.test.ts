// The supervisor with a fake CometBFT (a shell script) and fake app/server modules: start order,
// stop order, and "if either half dies, both stop".
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AbciApplication } from "../abci/application.js";
import { type AbciServerHandle, type ClosableApp, type NodeModules, startNode } from "./node.js";

const root = mkdtempSync(join(tmpdir(), "soa-node-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A fake `cometbft`: `version` prints the pinned version, `start` runs until told otherwise. */
function fakeCometbft(startBody: string): string {
  const path = join(root, `cometbft-${counter++}`);
  writeFileSync(
    path,
    `#!/usr/bin/env bash
case "$1" in
  version) echo 0.38.25 ;;
  reindex-event) echo "$*" >> "$(dirname "$0")/reindex.log"; echo "event re-index finished" ;;
  start)
    echo "fake cometbft: $*"
${startBody}
    ;;
esac
`,
  );
  chmodSync(path, 0o755);
  return path;
}
const RUNS_UNTIL_TERM = `    trap 'echo got-term; exit 0' TERM
    while true; do sleep 0.05; done`;

function home(): string {
  const h = join(root, `home-${counter++}`);
  mkdirSync(join(h, "config"), { recursive: true });
  writeFileSync(join(h, "config", "config.toml"), '[rpc]\nladdr = "tcp://127.0.0.1:1"\n');
  writeFileSync(join(h, "config", "genesis.json"), "{}\n");
  return h;
}

function fakes(events: string[]): { modules: NodeModules; server: EventEmitter } {
  const server = new EventEmitter();
  const handle: AbciServerHandle = {
    listen: async (address: string) => void events.push(`listen ${address}`),
    close: async () => void events.push("server.close"),
    on: (event, listener) => server.on(event, listener),
  };
  const modules: NodeModules = {
    openApp: async (opts) => {
      events.push(`openApp ${opts.dataDir} ${opts.minGasPrices ?? ""}`);
      return {
        close: async () => void events.push("app.close"),
        info: () => ({ lastBlockHeight: 42n }),
      } as unknown as ClosableApp;
    },
    createAbciServer: (opts: { app: AbciApplication }) => {
      events.push(`createAbciServer ${typeof opts.app}`);
      return handle;
    },
  };
  return { modules, server };
}

describe("startNode", () => {
  it("starts app → server → cometbft and stops cometbft → server → app", async () => {
    const events: string[] = [];
    const lines: string[] = [];
    const h = home();
    const { modules } = fakes(events);
    const node = await startNode({ home: h, cometbftBin: fakeCometbft(RUNS_UNTIL_TERM), write: (l) => lines.push(l) }, modules);
    expect(events).toEqual([
      `openApp ${h}/data/application 0.0025usoa`,
      "createAbciServer object",
      `listen unix://${h}/app.sock`,
    ]);
    expect(existsSync(join(h, "soad.pid"))).toBe(true);
    expect(existsSync(join(h, "cometbft.pid"))).toBe(true);
    expect(node.cometbftPid).toBeTypeOf("number");
    await new Promise((r) => setTimeout(r, 200));
    expect(await node.stop(0, "test")).toBe(0);
    expect(await node.done).toBe(0);
    expect(events.slice(3)).toEqual(["server.close", "app.close"]);
    expect(lines.some((l) => l.startsWith("[cometbft] fake cometbft: start --home"))).toBe(true);
    expect(lines.some((l) => l === "[cometbft] got-term")).toBe(true);
    const exitLine = lines.findIndex((l) => l.includes('msg="cometbft exited"'));
    expect(exitLine).toBeGreaterThan(lines.indexOf("[cometbft] got-term"));
    expect(existsSync(join(h, "soad.pid"))).toBe(false);
    expect(existsSync(join(h, "cometbft.pid"))).toBe(false);
  });

  it("stops everything with exit code 1 when cometbft exits by itself", async () => {
    const events: string[] = [];
    const lines: string[] = [];
    const { modules } = fakes(events);
    const node = await startNode(
      { home: home(), cometbftBin: fakeCometbft("    sleep 0.2; exit 0"), write: (l) => lines.push(l) },
      modules,
    );
    expect(await node.done).toBe(1);
    expect(events.slice(-2)).toEqual(["server.close", "app.close"]);
    expect(lines.join("\n")).toMatch(/cometbft exited unexpectedly \(code 0/);
  });

  it("stops cometbft with exit code 1 when the ABCI server reports a fatal error", async () => {
    const events: string[] = [];
    const lines: string[] = [];
    const { modules, server } = fakes(events);
    const node = await startNode({ home: home(), cometbftBin: fakeCometbft(RUNS_UNTIL_TERM), write: (l) => lines.push(l) }, modules);
    await new Promise((r) => setTimeout(r, 100));
    server.emit("fatal", new Error("bad frame"));
    expect(await node.done).toBe(1);
    expect(lines.join("\n")).toMatch(/ABCI server fatal error: bad frame/);
    expect(lines).toContain("[cometbft] got-term");
    expect(events.slice(-2)).toEqual(["server.close", "app.close"]);
  });

  it("SIGKILLs a cometbft that ignores SIGTERM", async () => {
    const events: string[] = [];
    const lines: string[] = [];
    const { modules } = fakes(events);
    const stubborn = `    trap 'echo ignoring-term' TERM
    while true; do sleep 0.05; done`;
    const node = await startNode(
      { home: home(), cometbftBin: fakeCometbft(stubborn), cometbftStopTimeoutMs: 300, write: (l) => lines.push(l) },
      modules,
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await node.stop(0, "test")).toBe(0);
    expect(lines.join("\n")).toMatch(/sending SIGKILL/);
    expect(lines.join("\n")).toMatch(/cometbft exited.*signal=SIGKILL/);
  });

  it("refuses to start a home that a live soad already runs", async () => {
    const h = home();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"], { stdio: "ignore" });
    try {
      writeFileSync(join(h, "soad.pid"), `${other.pid}\n`);
      await expect(startNode({ home: h, cometbftBin: fakeCometbft(RUNS_UNTIL_TERM) }, fakes([]).modules)).rejects.toThrow(
        /already running/,
      );
    } finally {
      other.kill("SIGKILL");
    }
  });

  it("ignores a stale pid file and a stale socket, and re-indexes the last blocks after that unclean stop", async () => {
    const h = home();
    writeFileSync(join(h, "soad.pid"), "999999999\n");
    writeFileSync(join(h, "app.sock"), "");
    const bin = fakeCometbft(RUNS_UNTIL_TERM);
    const node = await startNode({ home: h, cometbftBin: bin, write: () => {} }, fakes([]).modules);
    expect(await node.stop()).toBe(0);
    expect(readFileSync(join(dirname(bin), "reindex.log"), "utf8")).toBe(`reindex-event --home ${h} --start-height 32\n`);
    // a clean stop removed the pid files: the next start does not re-index
    rmSync(join(dirname(bin), "reindex.log"));
    const again = await startNode({ home: h, cometbftBin: bin, write: () => {} }, fakes([]).modules);
    expect(await again.stop()).toBe(0);
    expect(existsSync(join(dirname(bin), "reindex.log"))).toBe(false);
  });

  it("explains how to initialise a missing home", async () => {
    await expect(startNode({ home: join(root, "nope"), cometbftBin: fakeCometbft("") }, fakes([]).modules)).rejects.toThrow(
      /soad init/,
    );
  });

  it("exits 1 and closes the app when the app opens but the server cannot listen", async () => {
    const events: string[] = [];
    const { modules } = fakes(events);
    const failing: NodeModules = {
      ...modules,
      createAbciServer: () => ({
        listen: async () => {
          throw new Error("EADDRINUSE");
        },
        close: async () => void events.push("server.close"),
        on: () => undefined,
      }),
    };
    await expect(startNode({ home: home(), cometbftBin: fakeCometbft(RUNS_UNTIL_TERM), write: () => {} }, failing)).rejects.toThrow(
      /EADDRINUSE/,
    );
    expect(events).toContain("app.close");
  });
});
