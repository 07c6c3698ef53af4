// Deterministic wasm modules for the wasm benchmarks (wasm.perf.ts), written as WAT and assembled with
// wabt (a devDependency of chain). Every module satisfies the chain's upload rules: the
// interface_version_8 / allocate / deallocate / memory exports, one memory without maximum, MVP integer
// instructions only.
import wabtInit from "wabt";

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabtPromise: Promise<Wabt> | undefined;

export async function assemble(name: string, wat: string): Promise<Uint8Array> {
  wabtPromise ??= wabtInit();
  const wabt = await wabtPromise;
  const parsed = wabt.parseWat(name, wat);
  try {
    parsed.validate();
    return new Uint8Array(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/** The exports every contract needs (a bump allocator; deallocate does nothing). */
const CONTRACT_INTERFACE = `
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 65536))
  (func (export "interface_version_8"))
  (func (export "allocate") (param $size i32) (result i32)
    (local $r i32)
    (local.set $r (global.get $heap))
    (i32.store (local.get $r) (i32.add (local.get $r) (i32.const 12)))
    (i32.store offset=4 (local.get $r) (local.get $size))
    (i32.store offset=8 (local.get $r) (i32.const 0))
    (global.set $heap (i32.add (i32.add (local.get $r) (i32.const 12)) (local.get $size)))
    (local.get $r))
  (func (export "deallocate") (param i32))`;

/** xorshift64* as BigInt: deterministic constants from a seed. */
function rng(seed: number): () => bigint {
  let s = (BigInt(seed) * 0x9e3779b97f4a7c15n + 0x2545f4914f6cdd1dn) & 0xffff_ffff_ffff_ffffn;
  if (s === 0n) s = 1n;
  return () => {
    s ^= s >> 12n;
    s ^= (s << 25n) & 0xffff_ffff_ffff_ffffn;
    s ^= s >> 27n;
    return (s * 0x2545f4914f6cdd1dn) & 0xffff_ffff_ffff_ffffn;
  };
}

const signed64 = (x: bigint): string => BigInt.asIntN(64, x).toString();

export interface LargeModuleShape {
  functions: number;
  /** Straight-line i64 instructions per function (plus one branch and one call). */
  opsPerFunction: number;
}

/**
 * A large contract-shaped module: `functions` functions of straight-line i64 arithmetic (mul/xor/rotl/add
 * with 64-bit constants, i.e. long LEB immediates), each with one `if` and (in chains of 16) a call to its predecessor, so
 * that metering blocks and call guards occur at a realistic but low rate. `seed` changes every constant
 * (a different checksum per seed, same size within a few bytes).
 */
export function largeModuleWat(seed: number, shape: LargeModuleShape): string {
  const next = rng(seed);
  const parts: string[] = ["(module", CONTRACT_INTERFACE];
  for (let f = 0; f < shape.functions; f++) {
    const body: string[] = [];
    for (let k = 0; k < shape.opsPerFunction; k += 8) {
      body.push(
        `local.get 0 i64.const ${signed64(next())} i64.mul local.get 1 i64.xor i64.const ${Number(next() & 63n)} i64.rotl i64.const ${signed64(next())} i64.add local.set 0`,
      );
    }
    body.push(`local.get 0 i64.const ${signed64(next())} i64.lt_u if local.get 1 i64.const 1 i64.add local.set 1 end`);
    if (f % 16 !== 0) body.push(`local.get 1 local.get 0 call $f${f - 1} local.get 0 i64.xor local.set 0`);
    parts.push(`  (func $f${f} (param i64 i64) (result i64) ${body.join("\n    ")}\n    local.get 0)`);
  }
  parts.push(`  (func (export "run") (param i64) (result i64) local.get 0 i64.const 1 call $f${shape.functions - 1})`, ")");
  return parts.join("\n");
}

/**
 * Compute-heavy loop: `run(n)` does n iterations of 64-bit integer arithmetic with one 8-byte load and
 * one 8-byte store into a 8 KiB window of memory (an LCG mixed with memory contents), and returns the
 * accumulator. `calls`: the loop body is a separate function called once per iteration instead.
 * Per iteration (no calls): 1 `loop`, 1 `br_if`, 1 `br` (accounting) and ~20 plain operators.
 */
export function computeModuleWat(calls: boolean): string {
  const step = `
      ;; p = (i & 1023) * 8; acc = (acc * K + load(p)) ^ (acc >> 29); store(p, acc + i)
      (local.set $p (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 3)))
      (local.set $acc (i64.xor
        (i64.add (i64.mul (local.get $acc) (i64.const 6364136223846793005)) (i64.load offset=1024 (local.get $p)))
        (i64.shr_u (local.get $acc) (i64.const 29))))
      (i64.store offset=1024 (local.get $p) (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))`;
  const loop = (inner: string): string => `
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ${inner}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))`;
  const run = calls
    ? `
  (func $step (param $i i32) (param $acc i64) (result i64)
    (local $p i32)${step}
    (local.get $acc))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (local.set $acc (i64.const 1))${loop("(local.set $acc (call $step (local.get $i) (local.get $acc)))")}`
    : `
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc i64) (local $p i32)
    (local.set $acc (i64.const 1))${loop(step)}`;
  return `(module${CONTRACT_INTERFACE}${run}\n)`;
}
