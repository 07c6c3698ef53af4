// Structured, line-oriented logs (logfmt-like key=value), one child per module.
// Logging is off the consensus path: timestamps here never reach state.
export type LogLevel = "error" | "warn" | "info" | "debug";
const LEVELS: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export type LogContext = Record<string, unknown>;

export interface Logger {
  error(msg: string, ctx?: LogContext, err?: unknown): void;
  warn(msg: string, ctx?: LogContext, err?: unknown): void;
  info(msg: string, ctx?: LogContext): void;
  debug(msg: string, ctx?: LogContext): void;
  child(module: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  module?: string;
  write?: (line: string) => void;
}

function formatValue(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("hex").toUpperCase();
  if (typeof v === "string") return /[\s"=]/.test(v) || v === "" ? JSON.stringify(v) : v;
  if (v instanceof Error) return JSON.stringify(v.message);
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = LEVELS[opts.level ?? "info"];
  const write = opts.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const emit = (lvl: LogLevel, msg: string, ctx?: LogContext, err?: unknown) => {
    if (LEVELS[lvl] > level) return;
    const parts = [`ts=${new Date().toISOString()}`, `level=${lvl}`];
    if (opts.module) parts.push(`module=${opts.module}`);
    parts.push(`msg=${formatValue(msg)}`);
    for (const [k, v] of Object.entries(ctx ?? {})) parts.push(`${k}=${formatValue(v)}`);
    if (err !== undefined) parts.push(`err=${formatValue(err instanceof Error ? err.message : String(err))}`);
    write(parts.join(" "));
  };
  return {
    error: (m, c, e) => emit("error", m, c, e),
    warn: (m, c, e) => emit("warn", m, c, e),
    info: (m, c) => emit("info", m, c),
    debug: (m, c) => emit("debug", m, c),
    child: (module) => createLogger({ ...opts, module: opts.module ? `${opts.module}/${module}` : module }),
  };
}

/** A logger that drops everything: the default in tests. */
export const silentLogger: Logger = createLogger({ write: () => {} , level: "error" });
