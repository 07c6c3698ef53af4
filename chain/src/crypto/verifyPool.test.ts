import { afterAll, describe, expect, it } from "vitest";
import { sha256 } from "./hash.js";
import { pubkeyFromPrivkey, signSecp256k1 } from "./secp256k1.js";
import { VerifyPool } from "./verifyPool.js";

const priv = sha256(Buffer.from("verify-pool-key"));
const pubkey = pubkeyFromPrivkey(priv);
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("VerifyPool", () => {
  const pool = new VerifyPool(1);
  afterAll(() => pool.close());

  it("verifies batches on a worker: valid, wrong message, high-S and malformed keys", async () => {
    const msg = Buffer.from("sign me");
    const sig = signSecp256k1(msg, priv);
    // the same signature with s replaced by n - s: valid ECDSA, rejected as malleable
    const s = BigInt("0x" + Buffer.from(sig.subarray(32)).toString("hex"));
    const highS = Buffer.concat([sig.subarray(0, 32), Buffer.from((N - s).toString(16).padStart(64, "0"), "hex")]);
    const results = await Promise.all([
      pool.verify({ digest: sha256(msg), signature: sig, pubkey }),
      pool.verify({ digest: sha256(Buffer.from("other")), signature: sig, pubkey }),
      pool.verify({ digest: sha256(msg), signature: highS, pubkey }),
      pool.verify({ digest: sha256(msg), signature: sig, pubkey: new Uint8Array(33) }),
      ...Array.from({ length: 50 }, () => pool.verify({ digest: sha256(msg), signature: sig, pubkey })),
    ]);
    expect(results.slice(0, 4)).toEqual([true, false, false, false]);
    expect(results.slice(4).every(Boolean)).toBe(true);
  });

  it("answers false once closed, so callers fall back to the main thread", async () => {
    const p = new VerifyPool(1);
    await p.close();
    const msg = Buffer.from("x");
    expect(await p.verify({ digest: sha256(msg), signature: signSecp256k1(msg, priv), pubkey })).toBe(false);
  });
});
