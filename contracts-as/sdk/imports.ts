// The CosmWasm host functions (module "env"), exactly as WASM-VM.md §1.4 lists them.
// Every u32 argument is a pointer to a Region unless noted. AssemblyScript only emits the imports a
// contract actually uses, so declaring all of them here costs nothing.

// Storage
@external("env", "db_read")
export declare function db_read(key: u32): u32;
@external("env", "db_write")
export declare function db_write(key: u32, value: u32): void;
@external("env", "db_remove")
export declare function db_remove(key: u32): void;
/** order: 1 ascending, 2 descending. Returns an iterator id (not a Region). Needs `requires_iterator`. */
@external("env", "db_scan")
export declare function db_scan(start: u32, end: u32, order: i32): u32;
/** Region with encode_sections([key, value]); an empty key marks the end. */
@external("env", "db_next")
export declare function db_next(iterator_id: u32): u32;
@external("env", "db_next_key")
export declare function db_next_key(iterator_id: u32): u32;
@external("env", "db_next_value")
export declare function db_next_value(iterator_id: u32): u32;

// Addresses
@external("env", "addr_validate")
export declare function addr_validate(human: u32): u32;
@external("env", "addr_canonicalize")
export declare function addr_canonicalize(human: u32, destination: u32): u32;
@external("env", "addr_humanize")
export declare function addr_humanize(canonical: u32, destination: u32): u32;

// Crypto
@external("env", "secp256k1_verify")
export declare function secp256k1_verify(message_hash: u32, signature: u32, public_key: u32): u32;
/** High 32 bits: error code (0 = ok); low 32 bits: Region of the public key. */
@external("env", "secp256k1_recover_pubkey")
export declare function secp256k1_recover_pubkey(message_hash: u32, signature: u32, recovery_param: u32): u64;
@external("env", "secp256r1_verify")
export declare function secp256r1_verify(message_hash: u32, signature: u32, public_key: u32): u32;
@external("env", "secp256r1_recover_pubkey")
export declare function secp256r1_recover_pubkey(message_hash: u32, signature: u32, recovery_param: u32): u64;
@external("env", "ed25519_verify")
export declare function ed25519_verify(message: u32, signature: u32, public_key: u32): u32;
@external("env", "ed25519_batch_verify")
export declare function ed25519_batch_verify(messages: u32, signatures: u32, public_keys: u32): u32;
@external("env", "bls12_381_aggregate_g1")
export declare function bls12_381_aggregate_g1(g1s: u32, out: u32): u32;
@external("env", "bls12_381_aggregate_g2")
export declare function bls12_381_aggregate_g2(g2s: u32, out: u32): u32;
@external("env", "bls12_381_pairing_equality")
export declare function bls12_381_pairing_equality(ps: u32, qs: u32, r: u32, s: u32): u32;
@external("env", "bls12_381_hash_to_g1")
export declare function bls12_381_hash_to_g1(hash_function: u32, msg: u32, dst: u32, out: u32): u32;
@external("env", "bls12_381_hash_to_g2")
export declare function bls12_381_hash_to_g2(hash_function: u32, msg: u32, dst: u32, out: u32): u32;

// Misc
@external("env", "debug")
export declare function debug(msg: u32): void;
@external("env", "abort")
export declare function abort(msg: u32): void;
/** request: JSON QueryRequest; returns a Region with JSON SystemResult<ContractResult<Binary>>. */
@external("env", "query_chain")
export declare function query_chain(request: u32): u32;
