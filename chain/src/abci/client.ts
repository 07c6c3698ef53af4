// A minimal ABCI socket client: a fake CometBFT for tests, fuzzing and benchmarks. It speaks the same framing
// as CometBFT's socket client and checks responses the same way: FIFO matching by type, where an unsolicited
// or mismatched response breaks the connection (ABCI.md §2.3).
import net from "node:net";
import { Response, type Request } from "cosmjs-types/tendermint/abci/types";
import { DEFAULT_MAX_MESSAGE_BYTES, FrameDecoder, frameRequest, requestKind, responseKind, type RequestKind } from "./framing.js";
import { parseAbciAddress } from "./server.js";

export interface AbciSocketClientOptions {
  /** Largest accepted response body; default DEFAULT_MAX_MESSAGE_BYTES. */
  maxMessageBytes?: number;
}

/** The server answered Response.exception (CometBFT would stop here). */
export class AbciExceptionError extends Error {
  override name = "AbciExceptionError";
  constructor(readonly response: Response) {
    super(`ABCI exception: ${response.exception?.error ?? ""}`);
  }
}

/** The server broke the protocol (unsolicited/mismatched response, bad framing) or the connection closed. */
export class AbciClientError extends Error {
  override name = "AbciClientError";
}

interface Pending {
  kind: RequestKind | undefined;
  resolve(res: Response): void;
  reject(err: Error): void;
}

export class AbciSocketClient {
  private readonly decoder: FrameDecoder;
  private pending: (Pending | undefined)[] = [];
  private head = 0;
  // Requests of the current tick are written into a corked socket and sent together on the next tick.
  private corked = false;
  private failure: Error | undefined;
  private isClosed = false;
  /** Resolves when the socket has closed, with the error that broke it if any. */
  readonly closed: Promise<Error | undefined>;

  private constructor(
    private readonly socket: net.Socket,
    opts: AbciSocketClientOptions,
  ) {
    this.decoder = new FrameDecoder(opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (err) => {
      this.failure ??= new AbciClientError(`ABCI connection error: ${err.message}`, { cause: err });
    });
    this.closed = new Promise((resolve) => {
      socket.once("close", () => {
        this.isClosed = true;
        this.rejectAll(this.failure ?? new AbciClientError("ABCI connection closed"));
        resolve(this.failure);
      });
    });
  }

  /** Connects to `unix:///path.sock` or `tcp://host:port`. */
  static connect(address: string, opts: AbciSocketClientOptions = {}): Promise<AbciSocketClient> {
    const target = parseAbciAddress(address);
    return new Promise((resolve, reject) => {
      const socket =
        target.kind === "unix"
          ? net.connect(target.path)
          : net.connect({ host: target.host ?? "127.0.0.1", port: target.port });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new AbciSocketClient(socket, opts));
      });
    });
  }

  /** Requests awaiting a response. */
  get pendingCount(): number {
    return this.pending.length - this.head;
  }

  get isOpen(): boolean {
    return !this.isClosed && this.failure === undefined;
  }

  /**
   * Sends one request (pipelined: requests issued in the same tick go out in one write) and resolves with its
   * response. Rejects with AbciExceptionError on Response.exception, AbciClientError on protocol errors/close.
   * Like CometBFT's CheckTxAsync, this does not send Flush: call flush() (or rely on the server writing when idle).
   */
  request(req: Request): Promise<Response> {
    const kind = requestKind(req);
    if (kind === undefined) return Promise.reject(new AbciClientError("request has no oneof field set"));
    if (!this.isOpen) return Promise.reject(this.failure ?? new AbciClientError("ABCI connection closed"));
    let bytes: Uint8Array;
    try {
      bytes = frameRequest(req);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const res = this.expectResponse(kind);
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => this.uncork());
    }
    this.socket.write(bytes);
    return res;
  }

  /** Sends Flush and waits for its answer, i.e. for the answers to everything sent before it. */
  async flush(): Promise<void> {
    await this.request({ flush: {} });
  }

  /**
   * Registers a response slot without sending anything: pair it with writeRaw() to send hand-made, fragmented
   * or malformed bytes. `kind` (if given) is checked against the response type like CometBFT does.
   */
  expectResponse(kind?: RequestKind): Promise<Response> {
    if (!this.isOpen) return Promise.reject(this.failure ?? new AbciClientError("ABCI connection closed"));
    return new Promise((resolve, reject) => {
      this.pending.push({ kind, resolve, reject });
    });
  }

  /** Writes bytes as-is, after any batched requests; resolves once handed to the OS. */
  writeRaw(bytes: Uint8Array): Promise<void> {
    this.uncork();
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Half-closes after pending writes and waits for the socket to close; outstanding requests are rejected. */
  async close(): Promise<void> {
    if (!this.isClosed) this.socket.end(); // end() also uncorks
    await this.closed;
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    if (this.failure) return;
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      return this.fail(err instanceof Error ? err : new Error(String(err)));
    }
    for (const frame of frames) {
      let res: Response;
      try {
        res = Response.decode(frame);
      } catch (err) {
        return this.fail(new AbciClientError(`cannot decode ABCI response: ${(err as Error).message}`));
      }
      const slot = this.pending[this.head];
      if (slot === undefined) return this.fail(new AbciClientError(`unsolicited ABCI response ${responseKind(res)}`));
      this.pending[this.head++] = undefined;
      if (this.head === this.pending.length) {
        this.pending.length = 0;
        this.head = 0;
      }
      const kind = responseKind(res);
      if (kind === "exception") {
        slot.reject(new AbciExceptionError(res));
      } else if (slot.kind !== undefined && kind !== slot.kind) {
        const err = new AbciClientError(`ABCI response ${kind} does not match request ${slot.kind}`);
        slot.reject(err);
        return this.fail(err);
      } else {
        slot.resolve(res);
      }
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.rejectAll(err);
    this.socket.destroy();
  }

  private rejectAll(err: Error): void {
    const pending = this.pending;
    const head = this.head;
    this.pending = [];
    this.head = 0;
    for (let i = head; i < pending.length; i++) pending[i]?.reject(err);
  }
}
