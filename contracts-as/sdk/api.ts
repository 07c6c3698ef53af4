// Address helpers and debug output.
import { addr_validate, addr_canonicalize, addr_humanize, debug as cw_debug } from "./imports";
import { borrowRegion, outputRegion, readRegion, readRegionString } from "./memory";
import { utf8 } from "./encoding";

/** null if `human` is a valid, normalised address; otherwise the host's error message. */
export function addrValidate(human: string): string | null {
  const r = addr_validate(<u32>borrowRegion(utf8(human)));
  if (r == 0) return null;
  return readRegionString(<usize>r);
}

/** Canonical bytes of `human`, or null (the error message goes to `error.message`). */
export function addrCanonicalize(human: string, error: ApiError): Uint8Array | null {
  const dest = outputRegion(64);
  const r = addr_canonicalize(<u32>borrowRegion(utf8(human)), <u32>dest);
  if (r != 0) {
    error.message = readRegionString(<usize>r);
    return null;
  }
  return readRegion(dest);
}

export function addrHumanize(canonical: Uint8Array, error: ApiError): string | null {
  const dest = outputRegion(90);
  const r = addr_humanize(<u32>borrowRegion(canonical), <u32>dest);
  if (r != 0) {
    error.message = readRegionString(<usize>r);
    return null;
  }
  return readRegionString(dest);
}

export class ApiError {
  message: string = "";
}

/** Host-side log line; never reaches state or events. */
export function debug(message: string): void {
  cw_debug(<u32>borrowRegion(utf8(message)));
}
