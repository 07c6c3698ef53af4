// AssemblyScript's built-in `env.abort(msg, file, line, col)` clashes with CosmWasm's `env.abort(msg)`
// (same name, different type). The build aliases AS's abort to this function
// (`--use abort=sdk/abort/cwAbort`), which keeps AS's optional signature and calls the CosmWasm import
// with one Region holding a UTF-8 message. The host turns it into VmError "aborted".
import { abort as cw_abort } from "./imports";
import { regionFromString } from "./memory";

export function cwAbort(
  message: string | null = null,
  fileName: string | null = null,
  lineNumber: u32 = 0,
  columnNumber: u32 = 0,
): void {
  let text = message !== null ? message : "abort";
  if (fileName !== null) {
    text += " at " + fileName + ":" + lineNumber.toString() + ":" + columnNumber.toString();
  }
  cw_abort(<u32>regionFromString(text));
  unreachable();
}

/** Aborts the call (a VM error, not a contract error): for bugs and broken invariants only. */
export function panic(message: string): void {
  cw_abort(<u32>regionFromString(message));
  unreachable();
}
