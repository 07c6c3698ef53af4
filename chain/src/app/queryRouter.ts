// ABCI query routing by gRPC method path ("/cosmos.bank.v1beta1.Query/Balance"), with SDK-style
// error text ("rpc error: code = NotFound desc = ...") that CosmJS matches on.
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { ChainError, type RegisteredError } from "../errors/errors.js";
import { ErrInvalidRequest, ErrKeyNotFound } from "../errors/sdk.js";
import type { KVReader } from "../store/types.js";

export interface QueryContext {
  readonly store: KVReader;
  readonly height: bigint;
  readonly chainId: string;
  /** Time of the last block (what contracts see as the block time in queries). */
  readonly timeNanos: bigint;
}

export type QueryHandler = (data: Uint8Array, ctx: QueryContext) => Uint8Array;

export class QueryRouter {
  private readonly routes = new Map<string, QueryHandler>();

  register(path: string, h: QueryHandler): void {
    if (this.routes.has(path)) throw new Error(`query path ${path} registered twice`);
    this.routes.set(path, h);
  }

  /** Registers `<service>/<Method>` for each entry. */
  service(service: string, methods: Record<string, QueryHandler>): void {
    for (const [m, h] of Object.entries(methods)) this.register(`/${service}/${m}`, h);
  }

  get(path: string): QueryHandler | undefined {
    return this.routes.get(path);
  }
}

type GrpcCode = "NotFound" | "InvalidArgument" | "Unimplemented" | "Unknown";

/** An error whose log reads like the SDK's gRPC query errors. */
export function grpcError(grpc: GrpcCode, registered: RegisteredError, desc: string): ChainError {
  return new ChainError(registered, `rpc error: code = ${grpc} desc = ${desc}`);
}

export function notFound(desc: string): ChainError {
  return grpcError("NotFound", ErrKeyNotFound, desc);
}

export function invalidArgument(desc: string): ChainError {
  return grpcError("InvalidArgument", ErrInvalidRequest, desc);
}

/** Runs a request decoder; malformed request bytes become InvalidArgument. */
export function decodeRequest<T>(decode: (b: Uint8Array) => T, data: Uint8Array): T {
  try {
    return decode(data);
  } catch (e) {
    throw invalidArgument(`invalid request: ${(e as Error).message}`);
  }
}

const DEFAULT_LIMIT = 100n;
const MAX_LIMIT = 1000n;

/**
 * Pages through items that are already in key order. `key` resumes after a previous page's
 * next_key; `offset` skips items. The response is always present (CosmJS loops on next_key).
 */
export function paginate<T>(
  items: Iterable<{ key: Uint8Array; value: T }>,
  req: PageRequest | undefined,
): { page: T[]; pagination: PageResponse } {
  const limit = req && req.limit > 0n ? (req.limit > MAX_LIMIT ? MAX_LIMIT : req.limit) : DEFAULT_LIMIT;
  if (req && req.key.length > 0 && req.offset > 0n) throw invalidArgument("paginate: invalid request, either offset or key is expected, got both");
  if (req?.reverse) throw invalidArgument("reverse pagination is not supported");
  const startKey = req?.key && req.key.length > 0 ? Buffer.from(req.key) : undefined;
  let skip = req?.offset ?? 0n;
  const page: T[] = [];
  let nextKey: Uint8Array = new Uint8Array();
  let total = 0n;
  for (const it of items) {
    if (startKey && Buffer.compare(Buffer.from(it.key), startKey) < 0) continue;
    total++;
    if (skip > 0n) {
      skip--;
      continue;
    }
    if (BigInt(page.length) < limit) page.push(it.value);
    else if (nextKey.length === 0) {
      nextKey = it.key;
      if (!req?.countTotal) break;
    }
  }
  return { page, pagination: { nextKey, total: req?.countTotal ? total : 0n } };
}
