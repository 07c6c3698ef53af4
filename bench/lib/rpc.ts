// A lean CometBFT JSON-RPC client over keep-alive HTTP/1.1 (node:http): the load generator must cost
// as little CPU as possible, since it shares the machine with the node under test.
import http from "node:http";
import { QueryAccountInfoRequest, QueryAccountInfoResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";

export interface RpcError {
  code: number;
  message: string;
  data?: string;
}

export interface RpcReply<T> {
  id: number;
  result?: T;
  error?: RpcError;
}

export interface BroadcastResult {
  code: number;
  log: string;
  hash: string;
}

export class RpcClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(
    readonly url: string,
    maxSockets = 256,
  ) {
    const u = new URL(url);
    if (u.hostname !== "127.0.0.1" && u.hostname !== "localhost") throw new Error(`bench RPC must be on loopback, got ${url}`);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs a raw JSON body (one request or a batch array) and parses the reply. */
  post<T>(body: string, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method: "POST",
          path: "/",
          agent: this.agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            try {
              resolve(JSON.parse(text) as T);
            } catch {
              reject(new Error(`HTTP ${res.statusCode}: not JSON: ${text.slice(0, 200)}`));
            }
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`RPC timeout after ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  async call<T>(method: string, params: Record<string, unknown> = {}, timeoutMs?: number): Promise<T> {
    const reply = await this.post<RpcReply<T>>(JSON.stringify({ jsonrpc: "2.0", id: 0, method, params }), timeoutMs);
    if (reply.error) throw new Error(`${method}: ${reply.error.message} ${reply.error.data ?? ""}`.trim());
    if (reply.result === undefined) throw new Error(`${method}: no result`);
    return reply.result;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** JSON-RPC batch body of broadcast calls for txs[from, to); ids are the tx indexes. */
export function broadcastBatchBody(method: string, txs: readonly Uint8Array[], from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    parts.push(`{"jsonrpc":"2.0","id":${i},"method":"${method}","params":{"tx":"${Buffer.from(txs[i]!).toString("base64")}"}}`);
  }
  return `[${parts.join(",")}]`;
}

export interface BlockMeta {
  height: number;
  timeMs: number;
  numTxs: number;
}

/** Headers of [minHeight, maxHeight] via /blockchain (20 per call), ascending. */
export async function blockMetas(rpc: RpcClient, minHeight: number, maxHeight: number): Promise<BlockMeta[]> {
  const out: BlockMeta[] = [];
  for (let lo = minHeight; lo <= maxHeight; lo += 20) {
    const hi = Math.min(maxHeight, lo + 19);
    const r = await rpc.call<{ block_metas: { num_txs: string; header: { height: string; time: string } }[] }>("blockchain", {
      minHeight: String(lo),
      maxHeight: String(hi),
    });
    for (const m of r.block_metas) {
      out.push({ height: Number(m.header.height), timeMs: parseRfc3339Ms(m.header.time), numTxs: Number(m.num_txs) });
    }
  }
  return out.sort((a, b) => a.height - b.height);
}

/** RFC 3339 with up to nanosecond digits → ms since epoch (fractional). */
export function parseRfc3339Ms(s: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return Date.parse(s);
  const base = Date.parse(`${m[1]}${m[3]}`);
  const frac = m[2] ? Number(`0${m[2]}`) * 1000 : 0;
  return base + frac;
}

/** The account numbers of `addresses` (auth AccountInfo over abci_query, 16 queries in flight). */
export async function accountNumbers(rpc: RpcClient, addresses: string[]): Promise<bigint[]> {
  const out: bigint[] = new Array(addresses.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < addresses.length) {
      const i = next++;
      const data = Buffer.from(QueryAccountInfoRequest.encode({ address: addresses[i]! }).finish()).toString("hex");
      const r = await rpc.call<{ response: { code: number; log: string; value: string } }>("abci_query", { path: "/cosmos.auth.v1beta1.Query/AccountInfo", data });
      if (r.response.code !== 0) throw new Error(`account ${addresses[i]}: ${r.response.log}`);
      const info = QueryAccountInfoResponse.decode(Buffer.from(r.response.value, "base64")).info;
      if (!info) throw new Error(`account ${addresses[i]}: no info`);
      out[i] = info.accountNumber;
    }
  };
  await Promise.all(Array.from({ length: 16 }, () => worker()));
  return out;
}
