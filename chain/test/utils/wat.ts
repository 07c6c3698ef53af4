// WAT pieces of the hand-written test contracts (chain/src/modules/wasm/vm/runtime.test.ts,
// chain/test/integration/wasm_echo_contract.test.ts).

/**
 * `$heap`, the interface_version_8 export and `$allocate` (exported as allocate): a bump allocator
 * handing out Regions { offset, capacity, length = 0 } with the data right after the 12-byte header,
 * growing memory on demand (unreachable when it cannot) and keeping the heap 8-byte aligned. Nothing is
 * ever freed: the module's deallocate may do nothing.
 */
export function bumpAllocatorWat(heapStart: number): string {
  return `
  (global $heap (mut i32) (i32.const ${heapStart}))
  (func (export "interface_version_8"))
  (func $allocate (export "allocate") (param $size i32) (result i32)
    (local $r i32) (local $end i32) (local $have i32)
    (local.set $r (global.get $heap))
    (local.set $end (i32.add (i32.add (local.get $r) (i32.const 12)) (local.get $size)))
    (local.set $have (i32.mul (memory.size) (i32.const 65536)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then (if (i32.eq (memory.grow (i32.add (i32.shr_u (i32.sub (local.get $end) (local.get $have)) (i32.const 16)) (i32.const 1))) (i32.const -1))
        (then unreachable))))
    (i32.store (local.get $r) (i32.add (local.get $r) (i32.const 12)))
    (i32.store offset=4 (local.get $r) (local.get $size))
    (i32.store offset=8 (local.get $r) (i32.const 0))
    (global.set $heap (i32.and (i32.add (local.get $end) (i32.const 7)) (i32.const -8)))
    (local.get $r))`;
}
