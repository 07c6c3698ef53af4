import { createHash } from "node:crypto";

export function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

export function ripemd160(data: Uint8Array): Buffer {
  return createHash("ripemd160").update(data).digest();
}
