// SDK-style registered errors: (codespace, code) pairs are consensus-critical and never renumbered.
// Code 1 is reserved for internal errors (an unexpected throw while executing a transaction).

export class RegisteredError {
  constructor(
    readonly codespace: string,
    readonly code: number,
    readonly description: string,
  ) {}

  /** An error with context, formatted like the SDK: `<context>: <description>`. */
  wrap(context: string): ChainError {
    return new ChainError(this, context);
  }

  /** The error with no context. */
  err(): ChainError {
    return new ChainError(this, "");
  }

  is(e: unknown): boolean {
    return e instanceof ChainError && e.registered === this;
  }
}

export class ChainError extends Error {
  constructor(
    readonly registered: RegisteredError,
    readonly context: string,
  ) {
    super(context ? `${context}: ${registered.description}` : registered.description);
    this.name = "ChainError";
  }
  get code(): number {
    return this.registered.code;
  }
  get codespace(): string {
    return this.registered.codespace;
  }
}

const registry = new Map<string, RegisteredError>();

export function registerError(codespace: string, code: number, description: string): RegisteredError {
  if (code === 1 && codespace !== "undefined") throw new Error(`code 1 is reserved (${codespace})`);
  const id = `${codespace}/${code}`;
  if (registry.has(id)) throw new Error(`error ${id} is already registered`);
  const e = new RegisteredError(codespace, code, description);
  registry.set(id, e);
  return e;
}

export const ErrInternal = new RegisteredError("undefined", 1, "internal");

/** A ready ABCI error result (code, codespace, log), e.g. a failed simulation reported by a query. */
export class AbciError extends Error {
  constructor(
    readonly code: number,
    readonly codespace: string,
    log: string,
  ) {
    super(log);
    this.name = "AbciError";
  }
}

/** Maps anything thrown during tx execution or a query to an ABCI (code, codespace, log). */
export function toAbciError(e: unknown): { code: number; codespace: string; log: string } {
  if (e instanceof ChainError || e instanceof AbciError) return { code: e.code, codespace: e.codespace, log: e.message };
  const msg = e instanceof Error ? e.message : String(e);
  return { code: ErrInternal.code, codespace: ErrInternal.codespace, log: `${msg}: ${ErrInternal.description}` };
}

/**
 * Something happened that may not be the same on every node (e.g. the JS stack overflowed inside
 * contract code). It must never become a tx result: the node stops instead of risking a fork.
 */
export class ConsensusFault extends Error {
  override name = "ConsensusFault";
}
