import * as crypto from "node:crypto";

// One-shot hashing (Node >= 20.12) is markedly cheaper than createHash().update().digest() for the
// small inputs that dominate here (keys, leaves, tree nodes); createHash is the fallback.
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: "buffer") => Buffer }).hash;

export function sha256(...parts: Uint8Array[]): Buffer {
  if (oneShot) return oneShot("sha256", parts.length === 1 ? parts[0]! : Buffer.concat(parts), "buffer");
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

export function ripemd160(data: Uint8Array): Buffer {
  return crypto.createHash("ripemd160").update(data).digest();
}
