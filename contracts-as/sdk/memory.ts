// Regions: the only way data crosses the host/contract boundary (WASM-VM.md §1.2).
//   struct Region { offset: u32, capacity: u32, length: u32 }   // 12 bytes, little-endian
// Every Region this SDK creates lives in one heap block together with its data (data at +12), so
// `deallocate` can always free exactly what `allocate` (or a result builder) handed out. With the stub
// runtime freeing only reclaims the last block; every call runs in a fresh instance, so that is fine.

export const REGION_SIZE: usize = 12;

/** A new Region with room for `capacity` bytes right behind it; length = 0. */
export function allocRegion(capacity: usize): usize {
  const region = heap.alloc(REGION_SIZE + capacity);
  store<u32>(region, <u32>(region + REGION_SIZE), 0);
  store<u32>(region, <u32>capacity, 4);
  store<u32>(region, 0, 8);
  return region;
}

@inline export function regionOffset(region: usize): usize {
  return <usize>load<u32>(region, 0);
}
@inline export function regionCapacity(region: usize): usize {
  return <usize>load<u32>(region, 4);
}
@inline export function regionLength(region: usize): usize {
  return <usize>load<u32>(region, 8);
}

/** Copies `bytes` into a new Region (what the contract returns or hands to the host as an owned result). */
export function regionFromBytes(bytes: Uint8Array): usize {
  const len = <usize>bytes.length;
  const region = allocRegion(len);
  memory.copy(region + REGION_SIZE, bytes.dataStart, len);
  store<u32>(region, <u32>len, 8);
  return region;
}

/** UTF-8 encodes `s` into a new Region. */
export function regionFromString(s: string): usize {
  return regionFromBytes(Uint8Array.wrap(String.UTF8.encode(s)));
}

/**
 * A Region that points at `bytes` without copying: for arguments to imports, which the host only reads.
 * `bytes` must stay alive for the call (always true: the stub runtime never collects).
 */
export function borrowRegion(bytes: Uint8Array): usize {
  const region = heap.alloc(REGION_SIZE);
  // A zero offset is invalid even for empty data; an empty array may have dataStart != 0 anyway.
  store<u32>(region, <u32>bytes.dataStart, 0);
  store<u32>(region, <u32>bytes.length, 4);
  store<u32>(region, <u32>bytes.length, 8);
  return region;
}

/** An empty Region of `capacity` bytes the host may write into (addr_canonicalize, addr_humanize …). */
export function outputRegion(capacity: usize): usize {
  return allocRegion(capacity);
}

/** Copies a Region's data out into a new Uint8Array. */
export function readRegion(region: usize): Uint8Array {
  const len = regionLength(region);
  const out = new Uint8Array(<i32>len);
  memory.copy(out.dataStart, regionOffset(region), len);
  return out;
}

/** Decodes a Region's data as UTF-8. */
export function readRegionString(region: usize): string {
  return String.UTF8.decodeUnsafe(regionOffset(region), regionLength(region));
}

/** Frees a Region obtained from `allocate` or returned by the host (it was made by our `allocate`). */
export function freeRegion(region: usize): void {
  heap.free(region);
}
