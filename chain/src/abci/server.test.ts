import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Request,
  RequestFinalizeBlock,
  RequestPrepareProposal,
  ResponseApplySnapshotChunk,
  ResponseCheckTx,
  ResponseCommit,
  ResponseExtendVote,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseProcessProposal_ProposalStatus,
  ResponseQuery,
  ResponseVerifyVoteExtension,
  type RequestCheckTx,
  type Response,
} from "cosmjs-types/tendermint/abci/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AbciApplication } from "./application.js";
import { AbciClientError, AbciExceptionError, AbciSocketClient } from "./client.js";
import { encodeFrame, frameRequest } from "./framing.js";
import { AbciFatalError, AbciServer, parseAbciAddress } from "./server.js";

/** A fake app answering BaseApplication-like defaults; tests override single methods. */
function fakeApp(overrides: Partial<AbciApplication> = {}): AbciApplication {
  const base: AbciApplication = {
    info: () => ResponseInfo.fromPartial({ data: "fake", lastBlockHeight: 0n }),
    initChain: () => ResponseInitChain.fromPartial({}),
    query: (req) => ResponseQuery.fromPartial({ value: req.data, height: req.height }),
    checkTx: (req) => ResponseCheckTx.fromPartial({ data: req.tx }),
    prepareProposal: (req) => ResponsePrepareProposal.fromPartial({ txs: req.txs }),
    processProposal: () => ResponseProcessProposal.fromPartial({ status: ResponseProcessProposal_ProposalStatus.ACCEPT }),
    extendVote: () => ResponseExtendVote.fromPartial({}),
    verifyVoteExtension: () => ResponseVerifyVoteExtension.fromPartial({ status: 1 }),
    finalizeBlock: (req) => ResponseFinalizeBlock.fromPartial({ appHash: req.hash }),
    commit: () => ResponseCommit.fromPartial({}),
    listSnapshots: () => ResponseListSnapshots.fromPartial({}),
    offerSnapshot: () => ResponseOfferSnapshot.fromPartial({}),
    loadSnapshotChunk: () => ResponseLoadSnapshotChunk.fromPartial({}),
    applySnapshotChunk: () => ResponseApplySnapshotChunk.fromPartial({}),
  };
  return { ...base, ...overrides };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const tick = () => new Promise<void>((r) => setImmediate(r));
const checkTx = (tx: Uint8Array | number[]): Request => ({ checkTx: { tx: Uint8Array.from(tx), type: 0 } });
const u32 = (i: number) => Uint8Array.of(i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff);
const readU32 = (b: Uint8Array) => ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await sleep(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let dir: string;
let server: AbciServer | undefined;
let clients: AbciSocketClient[] = [];
let fatals: AbciFatalError[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "soa-abci-"));
  fatals = [];
  clients = [];
});

afterEach(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(app: AbciApplication, opts: { maxMessageBytes?: number } = {}): Promise<string> {
  server = new AbciServer({ app, ...opts });
  server.on("fatal", (err) => fatals.push(err));
  const address = `unix://${join(dir, "abci.sock")}`;
  await server.listen(address);
  return address;
}

async function connect(address: string): Promise<AbciSocketClient> {
  const c = await AbciSocketClient.connect(address);
  clients.push(c);
  return c;
}

describe("AbciServer ordering", () => {
  it("answers pipelined CheckTx in order, with a mid-stream Flush after everything before it", async () => {
    const client = await connect(await start(fakeApp()));
    const done: string[] = [];
    const N = 1000;
    const results: Promise<Response>[] = [];
    let midFlush: Promise<void> | undefined;
    for (let i = 0; i < N; i++) {
      results.push(client.request(checkTx(u32(i))).then((r) => (done.push(`tx${i}`), r)));
      // request() (not flush()) so callbacks run in the order responses arrive on the wire.
      if (i === N / 2 - 1) midFlush = client.request({ flush: {} }).then(() => void done.push("flush"));
    }
    await client.flush();
    await midFlush;
    const responses = await Promise.all(results);
    responses.forEach((r, i) => expect(readU32(r.checkTx!.data)).toBe(i));
    expect(done.indexOf("flush")).toBe(N / 2);
    expect(done.slice(0, N / 2)).toEqual(Array.from({ length: N / 2 }, (_, i) => `tx${i}`));
    expect(fatals).toEqual([]);
  });

  it("a slow async handler neither reorders responses nor overlaps with the next handler", async () => {
    let active = 0;
    let maxActive = 0;
    const calls: number[] = [];
    const app = fakeApp({
      checkTx: async (req: RequestCheckTx) => {
        const i = readU32(req.tx);
        calls.push(i);
        active++;
        maxActive = Math.max(maxActive, active);
        // Earlier txs are slower: a server that ran handlers concurrently would answer out of order.
        if (i % 3 === 0) await sleep(i === 0 ? 40 : 2);
        active--;
        return ResponseCheckTx.fromPartial({ data: req.tx });
      },
      // Sync handlers mixed in between async ones.
      query: (req) => ResponseQuery.fromPartial({ value: req.data }),
    });
    const client = await connect(await start(app));
    const pending: Promise<Response>[] = [];
    for (let i = 0; i < 30; i++) {
      pending.push(client.request(checkTx(u32(i))));
      if (i % 10 === 5) pending.push(client.request({ query: { data: u32(1000 + i), path: "/x", height: 0n, prove: false } }));
    }
    await client.flush();
    const rs = await Promise.all(pending);
    const seen = rs.map((r) => (r.checkTx ? readU32(r.checkTx.data) : readU32(r.query!.value)));
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 1005, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 1015, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 1025, 26, 27, 28, 29]);
    expect(calls).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(maxActive).toBe(1);
  });

  it("answers Echo with the same message", async () => {
    const client = await connect(await start(fakeApp()));
    const res = await client.request({ echo: { message: "hello ✓ soa" } });
    expect(res.echo).toEqual({ message: "hello ✓ soa" });
  });

  it("passes decoded requests to the app (the §2.1 Info vector)", async () => {
    let seen: unknown;
    const client = await connect(
      await start(fakeApp({ info: (req) => ((seen = req), ResponseInfo.fromPartial({ lastBlockHeight: 7n })) })),
    );
    const [res] = await Promise.all([
      client.request({ info: { version: "0.38.25", blockVersion: 11n, p2pVersion: 8n, abciVersion: "2.0.0" } }),
      client.flush(),
    ]);
    expect(seen).toEqual({ version: "0.38.25", blockVersion: 11n, p2pVersion: 8n, abciVersion: "2.0.0" });
    expect(res.info?.lastBlockHeight).toBe(7n);
  });

  it("serves four concurrent connections routed by request type only", async () => {
    const app = fakeApp({
      // The consensus connection is slow; the mempool connection must not wait for it.
      finalizeBlock: async (req) => {
        await sleep(20);
        return ResponseFinalizeBlock.fromPartial({ appHash: req.hash });
      },
    });
    const address = await start(app);
    const [query, snapshot, mempool, consensus] = await Promise.all([0, 1, 2, 3].map(() => connect(address)));
    await until(() => server!.connectionCount === 4, "4 connections");

    const consensusRun = (async () => {
      const out: string[] = [];
      for (let h = 1; h <= 3; h++) {
        const hash = Uint8Array.of(h);
        const [pp] = await Promise.all([consensus!.request({ prepareProposal: RequestPrepareProposal.fromPartial({ maxTxBytes: 100n, txs: [hash], height: BigInt(h) }) }), consensus!.flush()]);
        expect(pp.prepareProposal?.txs).toEqual([hash]);
        const [fb] = await Promise.all([consensus!.request({ finalizeBlock: RequestFinalizeBlock.fromPartial({ hash, height: BigInt(h) }) }), consensus!.flush()]);
        out.push(Buffer.from(fb.finalizeBlock!.appHash).toString("hex"));
        const [c] = await Promise.all([consensus!.request({ commit: {} }), consensus!.flush()]);
        expect(c.commit).toBeDefined();
      }
      return out;
    })();
    const mempoolRun = (async () => {
      const pending = Array.from({ length: 200 }, (_, i) => mempool!.request(checkTx(u32(i))));
      await mempool!.flush();
      return (await Promise.all(pending)).map((r) => readU32(r.checkTx!.data));
    })();
    const queryRun = Promise.all([
      query!.request({ info: { version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" } }),
      query!.request({ query: { data: Uint8Array.of(9), path: "/store", height: 5n, prove: false } }),
      query!.request({ echo: { message: "q" } }),
      query!.flush(),
    ]);
    const snapshotRun = Promise.all([snapshot!.request({ listSnapshots: {} }), snapshot!.flush()]);

    const [hashes, txs, q, s] = await Promise.all([consensusRun, mempoolRun, queryRun, snapshotRun]);
    expect(hashes).toEqual(["01", "02", "03"]);
    expect(txs).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(q[0].info?.data).toBe("fake");
    expect(q[1].query?.height).toBe(5n);
    expect(q[2].echo?.message).toBe("q");
    expect(s[0].listSnapshots?.snapshots).toEqual([]);

    await Promise.all([query!.close(), snapshot!.close(), mempool!.close(), consensus!.close()]);
    await until(() => server!.connectionCount === 0, "connections to close");
    expect(fatals).toEqual([]);
  });

  it("keeps order through socket backpressure (large responses)", async () => {
    const big = (i: number) => new Uint8Array(256 * 1024).fill(i);
    const client = await connect(await start(fakeApp({ checkTx: (req) => ResponseCheckTx.fromPartial({ data: big(req.tx[0]!) }) })));
    const pending = Array.from({ length: 40 }, (_, i) => client.request(checkTx([i])));
    const echo = client.request({ echo: { message: "after" } });
    await client.flush();
    const rs = await Promise.all(pending);
    rs.forEach((r, i) => {
      expect(r.checkTx!.data.length).toBe(256 * 1024);
      expect(r.checkTx!.data[0]).toBe(i);
      expect(r.checkTx!.data[256 * 1024 - 1]).toBe(i);
    });
    expect((await echo).echo?.message).toBe("after");
  });

  it("encodes each response at once, so an app may reuse its buffers (e.g. LMDB reads)", async () => {
    const scratch = new Uint8Array(4);
    const app = fakeApp({ checkTx: (req) => (scratch.set(req.tx), ResponseCheckTx.fromPartial({ data: scratch })) });
    const client = await connect(await start(app));
    const pending = Array.from({ length: 50 }, (_, i) => client.request(checkTx(u32(i))));
    await client.flush();
    expect((await Promise.all(pending)).map((r) => readU32(r.checkTx!.data))).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("handles requests written fragmented, byte by byte, from the client side", async () => {
    const client = await connect(await start(fakeApp()));
    const reqs: Request[] = [
      { info: { version: "0.38.25", blockVersion: 11n, p2pVersion: 8n, abciVersion: "2.0.0" } },
      checkTx(new Uint8Array(300).fill(1)), // 2-byte length prefixes get split too
      checkTx([2]),
      { echo: { message: "frag" } },
      { flush: {} },
    ];
    const responses = reqs.map((r) => client.expectResponse(Object.keys(r)[0] as keyof Request));
    const bytes = Buffer.concat(reqs.map(frameRequest));
    for (let i = 0; i < bytes.length; i++) {
      await client.writeRaw(bytes.subarray(i, i + 1));
      if (i % 16 === 0) await tick(); // give the server separate reads
    }
    const rs = await Promise.all(responses);
    expect(rs[0]!.info?.data).toBe("fake");
    expect(rs[1]!.checkTx?.data).toEqual(new Uint8Array(300).fill(1));
    expect(rs[2]!.checkTx?.data).toEqual(Uint8Array.of(2));
    expect(rs[3]!.echo?.message).toBe("frag");
    expect(rs[4]!.flush).toEqual({});
  });
});

describe("AbciServer fatal errors", () => {
  it("a throwing handler yields Response.exception and a fatal event; later requests are not served", async () => {
    const served: number[] = [];
    const app = fakeApp({
      checkTx: (req) => {
        const i = readU32(req.tx);
        if (i === 2) throw new Error("boom");
        served.push(i);
        return ResponseCheckTx.fromPartial({ data: req.tx });
      },
    });
    const client = await connect(await start(app));
    const rs = [0, 1, 2, 3].map((i) => client.request(checkTx(u32(i))));
    const settled = await Promise.allSettled(rs);
    expect(settled[0]!.status).toBe("fulfilled");
    expect(settled[1]!.status).toBe("fulfilled");
    expect(settled[2]).toMatchObject({ status: "rejected", reason: expect.any(AbciExceptionError) });
    expect((settled[2] as PromiseRejectedResult).reason.message).toMatch(/checkTx handler threw: boom/);
    expect(settled[3]).toMatchObject({ status: "rejected", reason: expect.any(AbciClientError) });
    expect(served).toEqual([0, 1]);
    await client.closed;
    expect(fatals).toHaveLength(1);
    expect(fatals[0]).toBeInstanceOf(AbciFatalError);
    expect(fatals[0]!.kind).toBe("checkTx");
    expect((fatals[0]!.cause as Error).message).toBe("boom");
  });

  it("an async handler rejection is fatal too", async () => {
    const app = fakeApp({
      finalizeBlock: async () => {
        await sleep(1);
        throw new Error("disk on fire");
      },
    });
    const client = await connect(await start(app));
    const res = client.request({ finalizeBlock: RequestFinalizeBlock.fromPartial({ height: 1n }) });
    const flushed = client.flush();
    await expect(res).rejects.toThrow(/finalizeBlock handler threw: disk on fire/);
    await expect(flushed).rejects.toBeInstanceOf(AbciClientError);
    expect(fatals.map((f) => f.kind)).toEqual(["finalizeBlock"]);
  });

  it("a response the encoder rejects is fatal", async () => {
    const app = fakeApp({ checkTx: () => null as unknown as ResponseCheckTx });
    const client = await connect(await start(app));
    await expect(client.request(checkTx([1]))).rejects.toThrow(/checkTx response cannot be encoded/);
    expect(fatals).toHaveLength(1);
  });

  it.each([
    ["a length prefix longer than 10 bytes", "8080808080808080808080", /malformed ABCI frame.*longer than 10 bytes/],
    ["a length over the cap", "ffffffffffffffffffff01", /malformed ABCI frame.*exceeds the 115343360-byte cap/],
    ["a body that is not a protobuf Request", "03ffffff", /cannot decode ABCI request/],
    ["an empty Request", "00", /unknown ABCI request/],
    ["a removed request type (DeliverTx, field 9)", "024a00", /unknown ABCI request/],
  ])("garbage: %s → exception, fatal, connection closed, process alive", async (_name, garbage, pattern) => {
    const address = await start(fakeApp());
    const client = await connect(address);
    // An answer before the garbage still arrives, in order.
    const ok = client.request({ echo: { message: "before" } });
    const exc = client.expectResponse();
    await client.writeRaw(Buffer.from(garbage, "hex"));
    expect((await ok).echo?.message).toBe("before");
    await expect(exc).rejects.toThrow(pattern);
    await client.closed;
    expect(fatals).toHaveLength(1);
    expect(fatals[0]!.message).toMatch(pattern);
    // The server keeps accepting: the supervisor, not this module, decides to stop.
    const again = await connect(address);
    expect((await again.request({ echo: { message: "still here" } })).echo?.message).toBe("still here");
  });

  it("rejects a request over maxMessageBytes without buffering it", async () => {
    const client = await connect(await start(fakeApp(), { maxMessageBytes: 1024 }));
    const small = client.request(checkTx(new Uint8Array(900)));
    const exc = client.expectResponse();
    await client.writeRaw(encodeFrame(new Uint8Array(2000)).subarray(0, 10)); // only the prefix + a few bytes
    expect((await small).checkTx?.data.length).toBe(900);
    await expect(exc).rejects.toThrow(/2000 exceeds the 1024-byte cap/);
    expect(fatals).toHaveLength(1);
  });
});

describe("AbciServer listen/close", () => {
  it("removes a stale unix socket file left by a dead process", async () => {
    const path = join(dir, "abci.sock");
    // A process that dies without closing its server leaves the socket file behind.
    execFileSync(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`]);
    expect(existsSync(path)).toBe(true);
    const address = await start(fakeApp());
    const client = await connect(address);
    expect((await client.request({ echo: { message: "x" } })).echo?.message).toBe("x");
  });

  it("refuses a socket another process is listening on, and a path that is not a socket", async () => {
    const path = join(dir, "abci.sock");
    const other = net.createServer();
    await new Promise<void>((r) => other.listen(path, r));
    try {
      await expect(new AbciServer({ app: fakeApp() }).listen(`unix://${path}`)).rejects.toThrow(/in use/);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
    const file = join(dir, "file.sock");
    writeFileSync(file, "not a socket");
    await expect(new AbciServer({ app: fakeApp() }).listen(`unix://${file}`)).rejects.toThrow(/not a socket/);
    expect(existsSync(file)).toBe(true);
  });

  it("listens on tcp://host:port and reports the bound port", async () => {
    server = new AbciServer({ app: fakeApp() });
    await server.listen("tcp://127.0.0.1:0");
    expect(server.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(server.address).not.toBe("tcp://127.0.0.1:0");
    const client = await connect(server.address!);
    const [res] = await Promise.all([client.request(checkTx([5])), client.flush()]);
    expect(res.checkTx?.data).toEqual(Uint8Array.of(5));
  });

  it("close() drops connections, removes the socket file and is idempotent", async () => {
    const address = await start(fakeApp({ checkTx: () => new Promise<ResponseCheckTx>(() => {}) }));
    const client = await connect(address);
    const hung = client.request(checkTx([1]));
    await until(() => server!.connectionCount === 1, "connection");
    await server!.close();
    await expect(hung).rejects.toBeInstanceOf(AbciClientError);
    await client.closed;
    expect(existsSync(join(dir, "abci.sock"))).toBe(false);
    expect(server!.connectionCount).toBe(0);
    await server!.close();
    expect(fatals).toEqual([]);
  });

  it("parses CometBFT proxy_app addresses", () => {
    expect(parseAbciAddress("unix:///tmp/a.sock")).toEqual({ kind: "unix", path: "/tmp/a.sock" });
    expect(parseAbciAddress("tcp://127.0.0.1:26658")).toEqual({ kind: "tcp", host: "127.0.0.1", port: 26658 });
    expect(parseAbciAddress("tcp://[::1]:26658")).toEqual({ kind: "tcp", host: "::1", port: 26658 });
    expect(parseAbciAddress("tcp://:26658")).toEqual({ kind: "tcp", host: undefined, port: 26658 });
    expect(() => parseAbciAddress("tcp://127.0.0.1")).toThrow();
    expect(() => parseAbciAddress("tcp://h:70000")).toThrow();
    expect(() => parseAbciAddress("unix://")).toThrow();
    expect(() => parseAbciAddress("grpc://x:1")).toThrow(/unsupported/);
  });
});
