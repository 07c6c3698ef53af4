// The exports every contract must have (WASM-VM.md §1.1). A contract re-exports them with
//   export * from "../../sdk/exports";
import { allocRegion, freeRegion } from "./memory";

/** Marker export: the host checks the name only, never calls it. */
export function interface_version_8(): void {}

/** Returns a Region with capacity >= size and length 0. Never returns 0. */
export function allocate(size: u32): u32 {
  return <u32>allocRegion(<usize>size);
}

/** Frees a Region made by `allocate` (including result Regions the host has read). */
export function deallocate(pointer: u32): void {
  freeRegion(<usize>pointer);
}
