// Contract addresses exactly as wasmd derives them (WASM-VM.md §3.3), so that CosmJS's
// instantiate2Address() predicts ours.
import { sha256 } from "../../crypto/hash.js";

const MODULE_TYPE_HASH = sha256(Buffer.from("module", "utf8"));

/** SDK address.Module("wasm", key): sha256(sha256("module") ‖ "wasm" ‖ 0x00 ‖ key), 32 bytes. */
function wasmModuleAddress(key: Uint8Array): Uint8Array {
  return sha256(Buffer.concat([MODULE_TYPE_HASH, Buffer.from("wasm\0", "utf8"), key]));
}

function be64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
}

/** Classic instantiation: derived from the code id and the chain-wide instance sequence. */
export function classicAddress(codeId: bigint, instanceId: bigint): Uint8Array {
  return wasmModuleAddress(Buffer.concat([be64(codeId), be64(instanceId)]));
}

/** MsgInstantiateContract2: predictable from checksum, creator, salt and (if fixMsg) the init msg. */
export function instantiate2Address(checksum: Uint8Array, creator: Uint8Array, salt: Uint8Array, initMsg: Uint8Array): Uint8Array {
  return wasmModuleAddress(
    Buffer.concat([
      be64(BigInt(checksum.length)),
      checksum,
      be64(BigInt(creator.length)),
      creator,
      be64(BigInt(salt.length)),
      salt,
      be64(BigInt(initMsg.length)),
      initMsg,
    ]),
  );
}
