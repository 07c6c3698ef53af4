// ABCI 2.0 socket server (ABCI.md §2, §8). CometBFT opens four connections (query, snapshot, mempool,
// consensus) that are not labelled on the wire: requests are routed by type only. Each connection is served
// strictly in order: one handler at a time, responses written in request order (CometBFT matches responses to
// its FIFO of requests and dies on any mismatch). Anything that breaks the protocol is fatal: we answer
// Response.exception, close the connection and emit "fatal"; CometBFT stops itself and the supervisor stops us.
import { EventEmitter } from "node:events";
import { lstat, unlink } from "node:fs/promises";
import net from "node:net";
import { CheckTxType, Request, type Response } from "cosmjs-types/tendermint/abci/types";
import { silentLogger, type Logger } from "../logger/logger.js";
import type { AbciApplication } from "./application.js";
import { DEFAULT_MAX_MESSAGE_BYTES, FrameDecoder, frameResponse, requestKind, type RequestKind } from "./framing.js";

export interface AbciServerOptions {
  app: AbciApplication;
  logger?: Logger;
  /** Largest accepted request body; default DEFAULT_MAX_MESSAGE_BYTES (110 MiB). */
  maxMessageBytes?: number;
}

export interface AbciServerEvents {
  /** The node must stop: undecodable input, unknown request, a handler that threw, or the listener failed. */
  fatal: [err: AbciFatalError];
}

export class AbciFatalError extends Error {
  override name = "AbciFatalError";
  constructor(
    message: string,
    /** Server-local connection number (logs only), undefined for listener errors. */
    readonly connection: number | undefined,
    /** The request being served, when the failure belongs to one. */
    readonly kind: RequestKind | undefined,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

export type AbciAddress = { kind: "unix"; path: string } | { kind: "tcp"; host: string | undefined; port: number };

/** Parses CometBFT's proxy_app forms: `unix:///abs/path.sock` or `tcp://host:port` (`[::1]` and an empty host ok). */
export function parseAbciAddress(address: string): AbciAddress {
  if (address.startsWith("unix://")) {
    const path = address.slice("unix://".length);
    if (path === "") throw new Error(`invalid ABCI address ${JSON.stringify(address)}: empty socket path`);
    return { kind: "unix", path };
  }
  if (address.startsWith("tcp://")) {
    const rest = address.slice("tcp://".length);
    const colon = rest.lastIndexOf(":");
    const portText = colon < 0 ? "" : rest.slice(colon + 1);
    const port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port > 65535) {
      throw new Error(`invalid ABCI address ${JSON.stringify(address)}: expected tcp://host:port`);
    }
    let host = rest.slice(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
    return { kind: "tcp", host: host === "" ? undefined : host, port };
  }
  throw new Error(`unsupported ABCI address ${JSON.stringify(address)}: expected unix:///abs/path.sock or tcp://host:port`);
}

// Responses are written into a corked socket and go out together (one writev) at every Flush, when the
// connection goes idle, or once this many bytes are pending (bounds memory and latency of a long burst).
const WRITE_BATCH_BYTES = 64 * 1024;
// After a fatal error we half-close; a peer that never closes its side is cut off after this long.
const FATAL_LINGER_MS = 2000;

const FLUSH_RESPONSE = frameResponse({ flush: {} });

interface ConnectionContext {
  app: AbciApplication;
  logger: Logger;
  onFatal(err: AbciFatalError): void;
}

type Handler = (req: unknown) => unknown;

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === "object" && x !== null && typeof (x as { then?: unknown }).then === "function";
}

class Connection {
  private readonly decoder: FrameDecoder;
  // Received frames not yet handled; `head` avoids O(n) shift() on long pipelined bursts.
  private queue: (Uint8Array | undefined)[] = [];
  // Requests already decoded on arrival (CheckTx, for the app's precheckTx hook), by queue index.
  private decodedAhead: (Request | undefined)[] = [];
  private head = 0;
  // Responses written since the last uncork.
  private corked = false;
  // True while an async handler is outstanding or we wait for 'drain': the queue must not advance.
  private blocked = false;
  // Framing error seen after the queued frames: reported once they are served.
  private badStream: unknown = undefined;
  // No more reading or writing (peer gone, fatal error, or server closing).
  dead = false;
  private failed = false;

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
    private readonly ctx: ConnectionContext,
    maxMessageBytes: number,
  ) {
    this.decoder = new FrameDecoder(maxMessageBytes);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
  }

  get pending(): number {
    return this.queue.length - this.head + (this.blocked ? 1 : 0);
  }

  get midFrame(): boolean {
    return this.decoder.midFrame;
  }

  private onData(chunk: Buffer): void {
    if (this.dead || this.badStream !== undefined) return;
    const before = this.queue.length;
    try {
      this.decoder.push(chunk, this.queue as Uint8Array[]);
    } catch (err) {
      // Like Go's reader, first serve the complete frames that preceded the bad bytes, then fail.
      this.badStream = err;
    }
    if (this.ctx.app.precheckTx) this.precheckArrivals(before);
    if (!this.blocked) this.pump();
  }

  /** Hands each newly arrived CheckTx NEW to the app's precheck hook (decode errors wait for their turn). */
  private precheckArrivals(from: number): void {
    for (let i = from; i < this.queue.length; i++) {
      let req: Request;
      try {
        req = Request.decode(this.queue[i]!);
      } catch {
        continue; // reported when the frame is served
      }
      this.decodedAhead[i] = req;
      if (req.checkTx && req.checkTx.type === CheckTxType.NEW) {
        try {
          this.ctx.app.precheckTx!(req.checkTx.tx);
        } catch (err) {
          this.ctx.logger.warn("precheckTx failed", {}, err);
        }
      }
    }
  }

  /** Serves queued requests until the queue is empty or a handler goes async; never throws. */
  private pump(): void {
    try {
      this.pumpQueue();
    } catch (err) {
      this.fatal("internal ABCI server error", err, undefined);
    }
  }

  private pumpQueue(): void {
    const app = this.ctx.app;
    while (this.head < this.queue.length) {
      if (this.dead) return;
      const frame = this.queue[this.head]!;
      let req: Request | undefined = this.decodedAhead[this.head];
      this.decodedAhead[this.head] = undefined;
      this.queue[this.head++] = undefined; // let the chunk go once handled
      try {
        req ??= Request.decode(frame);
      } catch (err) {
        return this.fatal("cannot decode ABCI request", err, undefined);
      }
      const kind = requestKind(req);
      if (kind === undefined) {
        return this.fatal("unknown ABCI request", new Error(`no known oneof field in a ${frame.length}-byte Request`), undefined);
      }
      if (kind === "flush") {
        // Everything before it has been answered (sequential queue): send the batch now.
        this.send(FLUSH_RESPONSE);
        if (!this.writeOut()) return;
        continue;
      }
      if (kind === "echo") {
        this.send(frameResponse({ echo: { message: req.echo!.message } }));
        continue;
      }
      let result: unknown;
      try {
        result = (app[kind] as Handler).call(app, req[kind]);
      } catch (err) {
        return this.fatal(`ABCI ${kind} handler threw`, err, kind);
      }
      if (isThenable(result)) {
        this.blocked = true;
        result.then(
          (res) => {
            this.blocked = false;
            if (this.respond(kind, res)) this.pump();
          },
          (err: unknown) => {
            this.blocked = false;
            this.fatal(`ABCI ${kind} handler threw`, err, kind);
          },
        );
        return;
      }
      if (!this.respond(kind, result)) return;
    }
    this.queue.length = 0;
    this.decodedAhead.length = 0;
    this.head = 0;
    if (this.badStream !== undefined) return this.fatal("malformed ABCI frame", this.badStream, undefined);
    this.writeOut(); // idle: nothing more to batch with
  }

  /** Encodes and queues the handler's result; false if the connection died or we now wait for 'drain'. */
  private respond(kind: RequestKind, res: unknown): boolean {
    if (this.dead) return false;
    let bytes: Uint8Array;
    try {
      // Encoded at once: the app may reuse its buffers (e.g. LMDB reads) after returning.
      bytes = frameResponse({ [kind]: res } as Response);
    } catch (err) {
      this.fatal(`ABCI ${kind} response cannot be encoded`, err, kind);
      return false;
    }
    this.send(bytes);
    return this.socket.writableLength < WRITE_BATCH_BYTES || this.writeOut();
  }

  private send(bytes: Uint8Array): void {
    if (this.socket.destroyed) return;
    if (!this.corked) {
      this.socket.cork();
      this.corked = true;
    }
    this.socket.write(bytes);
  }

  /** Uncorks the pending responses; false when the socket buffer is full and we paused until 'drain'. */
  private writeOut(): boolean {
    if (!this.corked) return true;
    this.corked = false;
    this.socket.uncork();
    if (this.dead || this.socket.destroyed) return false;
    if (!this.socket.writableNeedDrain) return true;
    // The peer is not reading: stop reading and serving (bounded memory) until the kernel buffer drains.
    this.blocked = true;
    this.socket.pause();
    this.socket.once("drain", () => {
      this.blocked = false;
      if (this.dead) return;
      this.socket.resume();
      this.pump();
    });
    return false;
  }

  fatal(reason: string, cause: unknown, kind: RequestKind | undefined): void {
    // Reported even if the peer already left (a handler can fail after that), but only once.
    if (this.failed) return;
    this.failed = true;
    this.dead = true;
    this.queue = [];
    this.decodedAhead = [];
    this.head = 0;
    const message = `${reason}: ${cause instanceof Error ? cause.message : String(cause)}`;
    this.ctx.logger.error("ABCI connection failed, the node must stop", { conn: this.id, kind }, message);
    // Earlier answers first (they precede the failure), then the exception, then half-close.
    try {
      if (!this.socket.destroyed && !this.socket.writableEnded) {
        this.socket.end(frameResponse({ exception: { error: message } })); // end() also uncorks
        this.corked = false;
        setTimeout(() => this.socket.destroy(), FATAL_LINGER_MS).unref();
      }
    } catch {
      this.socket.destroy();
    }
    this.ctx.onFatal(new AbciFatalError(message, this.id, kind, cause));
  }

  destroy(): void {
    this.dead = true;
    this.socket.destroy();
  }
}

export class AbciServer extends EventEmitter<AbciServerEvents> {
  private readonly app: AbciApplication;
  private readonly logger: Logger;
  private readonly maxMessageBytes: number;
  private server: net.Server | null = null;
  private readonly conns = new Set<Connection>();
  private nextConnId = 1;
  private bound: string | undefined;

  constructor(opts: AbciServerOptions) {
    super();
    this.app = opts.app;
    this.logger = opts.logger ?? silentLogger;
    this.maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    new FrameDecoder(this.maxMessageBytes); // validate the option now rather than at the first connection
  }

  /** Number of open connections (CometBFT keeps four). */
  get connectionCount(): number {
    return this.conns.size;
  }

  /** The address actually bound (resolves tcp port 0), or undefined when not listening. */
  get address(): string | undefined {
    return this.bound;
  }

  /** Listens on `unix:///abs/path.sock` (a stale socket file is removed first) or `tcp://host:port`. */
  async listen(address: string): Promise<void> {
    if (this.server) throw new Error("AbciServer is already listening");
    const target = parseAbciAddress(address);
    // noDelay: CometBFT waits for each Flush answer; Nagle would add latency to every synchronous call.
    const server = net.createServer({ noDelay: true }, (socket) => this.onConnection(socket));
    this.server = server;
    try {
      if (target.kind === "unix") await removeStaleSocket(target.path);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        const onListening = () => {
          server.off("error", reject);
          resolve();
        };
        if (target.kind === "unix") server.listen(target.path, onListening);
        else server.listen(target.port, target.host, onListening);
      });
    } catch (err) {
      this.server = null;
      throw err;
    }
    server.on("error", (err) => {
      this.logger.error("ABCI listener failed", {}, err);
      this.emit("fatal", new AbciFatalError(`ABCI listener failed: ${err.message}`, undefined, undefined, err));
    });
    const a = server.address();
    this.bound =
      target.kind === "unix" || a === null || typeof a === "string"
        ? address
        : `tcp://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
    this.logger.info("ABCI server listening", { address: this.bound });
  }

  /** Stops listening and drops every connection (in-flight handler results are discarded). */
  async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    for (const conn of this.conns) conn.destroy();
    this.conns.clear(); // their 'close' events may come after server.close() calls back
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.bound = undefined;
    this.logger.info("ABCI server closed");
  }

  private onConnection(socket: net.Socket): void {
    const conn = new Connection(this.nextConnId++, socket, {
      app: this.app,
      logger: this.logger,
      onFatal: (err) => this.emit("fatal", err),
    }, this.maxMessageBytes);
    this.conns.add(conn);
    this.logger.info("ABCI connection opened", { conn: conn.id, connections: this.conns.size });
    // Resets etc. are not fatal to the app: CometBFT notices a dead connection and stops itself.
    socket.on("error", (err) => this.logger.warn("ABCI connection error", { conn: conn.id }, err));
    socket.on("close", () => {
      conn.dead = true;
      this.conns.delete(conn);
      this.logger.info("ABCI connection closed", {
        conn: conn.id,
        connections: this.conns.size,
        pending: conn.pending,
        midFrame: conn.midFrame,
      });
    });
  }
}

/** Removes a socket file left by a crashed process; refuses non-sockets and sockets someone still listens on. */
async function removeStaleSocket(path: string): Promise<void> {
  try {
    const st = await lstat(path);
    if (!st.isSocket()) throw new Error(`refusing to replace ${path}: it exists and is not a socket`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (live) throw new Error(`${path} is in use: another process is listening on it`);
  await unlink(path);
}
