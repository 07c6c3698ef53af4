// Bad input against the real node: ~300 crafted, mutated and random tx byte strings go through
// CometBFT's `broadcast_tx_sync` (so through the real ABCI socket into soad's CheckTx). Each must be
// refused: a non-zero CheckTx code with an SDK-style codespace and log, or a CometBFT-level JSON-RPC
// error (tx too large, ...). Afterwards the same soad process still runs, blocks keep coming, the
// mempool is empty and a valid CosmJS send goes through (ARCHITECTURE.md §7: "bad input gets a clear
// error ... never a crash").
import { type StdFee, makeSignDoc as makeAminoSignDoc } from "@cosmjs/amino";
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { encodePubkey, makeAuthInfoBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { StargateClient, assertIsDeliverTxSuccess } from "@cosmjs/stargate";
import { DENOM, usoa } from "@soa/client";
import { MsgMultiSend, MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, Fee, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevSigner,
  type Rng,
  devSigner,
  devWallet,
  feeOfTx,
  makeRng,
  pollUntil,
  randomAddress,
  startE2eLocalnet,
  rpcCall,
  testSeed,
  usoaBalance,
} from "./utils/accounts.js";
import type { Localnet } from "./utils/localnet.js";
import type { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { BECH32_PREFIX, DEV_MNEMONIC, hdPath } from "@soa/client";

const HOOK_TIMEOUT = 180_000;
const TEST_TIMEOUT = 240_000;
/** CometBFT mempool.max_tx_bytes of a localnet (chain/src/node/init.ts MAX_TX_BYTES). */
const MAX_TX_BYTES = 5 * 1024 * 1024;
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** JSON-RPC errors CometBFT may answer instead of running CheckTx. */
const COMET_LEVEL_ERROR = /too large|already exists in cache|mempool is full|empty/i;

interface Outcome {
  code?: number;
  codespace?: string;
  log?: string;
  rpcError?: string;
}

function describeOutcome(o: Outcome): string {
  return o.rpcError !== undefined ? `rpc error: ${o.rpcError}` : `code ${o.code} (${o.codespace}): ${o.log}`;
}

// ----- protobuf helpers -----------------------------------------------------------------------

function varint(n: number | bigint): Uint8Array {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Uint8Array.from(out);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A length-delimited field (wire type 2). */
function lenField(fieldNo: number, bytes: Uint8Array): Uint8Array {
  return concat(varint((fieldNo << 3) | 2), varint(bytes.length), bytes);
}

/** A varint field (wire type 0). */
function varintField(fieldNo: number, v: number | bigint): Uint8Array {
  return concat(varint(fieldNo << 3), varint(v));
}

/** TxRaw with a non-minimal (padded) varint length for body_bytes: same content, different bytes. */
function txRawNonMinimal(raw: TxRaw): Uint8Array {
  const len = varint(raw.bodyBytes.length);
  const padded = Uint8Array.from([...Array.from(len.slice(0, -1)), len[len.length - 1]! | 0x80, 0x00]);
  return concat(
    Uint8Array.of((1 << 3) | 2),
    padded,
    raw.bodyBytes,
    lenField(2, raw.authInfoBytes),
    ...raw.signatures.map((s) => lenField(3, s)),
  );
}

// ----- crafting signed txs ----------------------------------------------------------------------

interface Craft {
  messages?: Any[];
  memo?: string;
  timeoutHeight?: bigint;
  unordered?: boolean;
  extensionOptions?: Any[];
  bodyExtra?: Uint8Array;
  authExtra?: Uint8Array;
  rawExtra?: Uint8Array;
  fee?: { amount: Coin[]; gasLimit: bigint; payer?: string; granter?: string };
  tip?: { amount: Coin[]; tipper: string };
  sequence?: bigint;
  accountNumber?: bigint;
  chainId?: string;
  signMode?: SignMode;
  pubkey?: Any | null;
  /** Sign with this wallet instead of the account's own key. */
  signWith?: DirectSecp256k1HdWallet;
  /** Replace the signature(s) after signing. */
  mapSignatures?: (sigs: Uint8Array[]) => Uint8Array[];
}

describe("bad transactions against a real node", () => {
  let net: Localnet;
  let rng: Rng;
  let query: StargateClient;
  let signer: DevSigner; // #0, direct
  let aminoSigner: DevSigner; // #0, amino
  let wallet: DirectSecp256k1HdWallet;
  let otherWallet: DirectSecp256k1HdWallet; // #1
  let strangerWallet: DirectSecp256k1HdWallet; // a key genesis never funded
  let freshWallet: DirectSecp256k1HdWallet; // #3: funded, never signs in this file
  let pubkeyAny: Any;
  let accountNumber: bigint;
  let sequence: number;
  let sink: string;
  let soadPid: number | undefined;
  const outcomes: { name: string; outcome: Outcome }[] = [];

  beforeAll(async () => {
    rng = makeRng(testSeed("badinput.e2e"));
    net = await startE2eLocalnet({ nodes: 1 });
    query = await StargateClient.connect(net.rpcUrl(0));
    signer = await devSigner(net, 0, "direct");
    aminoSigner = await devSigner(net, 0, "amino");
    wallet = await devWallet(0);
    otherWallet = await devWallet(1);
    strangerWallet = await devWallet(77);
    freshWallet = await devWallet(3);
    const [acc] = await wallet.getAccounts();
    pubkeyAny = encodePubkey(encodeSecp256k1Pubkey(acc!.pubkey));
    ({ accountNumber, sequence } = await query.getSequence(signer.address));
    sink = randomAddress(rng);
    soadPid = net.pids(0).soad;
  }, HOOK_TIMEOUT);

  afterAll(async () => {
    for (const c of [query, signer?.client, aminoSigner?.client]) c?.disconnect();
    await net?.stop();
  }, HOOK_TIMEOUT);

  async function broadcast(name: string, tx: Uint8Array): Promise<Outcome> {
    const r = await rpcCall<{ code: number; codespace: string; log: string; hash: string }>(
      net.rpcUrl(0),
      "broadcast_tx_sync",
      { tx: toBase64(tx) },
      60_000,
    );
    const outcome: Outcome = r.error
      ? { rpcError: `${r.error.message} ${r.error.data ?? ""}`.trim() }
      : { code: r.result!.code, codespace: r.result!.codespace, log: r.result!.log };
    outcomes.push({ name, outcome });
    return outcome;
  }

  const msgSendAny = (from: string, to: string, amount: Coin[]): Any => ({
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: MsgSend.encode({ fromAddress: from, toAddress: to, amount }).finish(),
  });

  async function craft(c: Craft = {}): Promise<Uint8Array> {
    const from = signer.address;
    const bodyBytes = concat(
      TxBody.encode(
        TxBody.fromPartial({
          messages: c.messages ?? [msgSendAny(from, sink, usoa(1))],
          memo: c.memo ?? "",
          timeoutHeight: c.timeoutHeight ?? 0n,
          unordered: c.unordered ?? false,
          extensionOptions: c.extensionOptions ?? [],
        }),
      ).finish(),
      c.bodyExtra ?? new Uint8Array(),
    );
    const fee = c.fee ?? { amount: usoa(5_000), gasLimit: 200_000n };
    const authInfoBytes = concat(
      AuthInfo.encode(
        AuthInfo.fromPartial({
          signerInfos: [
            {
              ...(c.pubkey === null ? {} : { publicKey: c.pubkey ?? pubkeyAny }),
              modeInfo: { single: { mode: c.signMode ?? SignMode.SIGN_MODE_DIRECT } },
              sequence: c.sequence ?? BigInt(sequence),
            },
          ],
          fee: { amount: fee.amount, gasLimit: fee.gasLimit, payer: fee.payer ?? "", granter: fee.granter ?? "" },
          ...(c.tip ? { tip: c.tip } : {}),
        }),
      ).finish(),
      c.authExtra ?? new Uint8Array(),
    );
    const w = c.signWith ?? wallet;
    const [acc] = await w.getAccounts();
    const doc = makeSignDoc(bodyBytes, authInfoBytes, c.chainId ?? net.chainId, Number(c.accountNumber ?? accountNumber));
    const { signature } = await w.signDirect(acc!.address, doc);
    let sigs: Uint8Array[] = [fromBase64(signature.signature)];
    if (c.mapSignatures) sigs = c.mapSignatures(sigs);
    return concat(TxRaw.encode({ bodyBytes, authInfoBytes, signatures: sigs.map((x) => Uint8Array.from(x)) }).finish(), c.rawExtra ?? new Uint8Array());
  }

  it("refuses ~65 crafted invalid txs with SDK codes", async () => {
    const from = signer.address;
    const [other] = await otherWallet.getAccounts();
    const [stranger] = await strangerWallet.getAccounts();
    const highS = (sigs: Uint8Array[]): Uint8Array[] =>
      sigs.map((s) => {
        let v = 0n;
        for (let i = 32; i < 64; i++) v = (v << 8n) | BigInt(s[i]!);
        let hs = SECP256K1_N - v;
        const out = Uint8Array.from(s);
        for (let i = 63; i >= 32; i--) {
          out[i] = Number(hs & 0xffn);
          hs >>= 8n;
        }
        return out;
      });
    const good = TxRaw.decode(await craft());
    const aminoSig = async (): Promise<Uint8Array> => {
      const w = await Secp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: BECH32_PREFIX, hdPaths: [hdPath(0)] });
      const fee: StdFee = { amount: usoa(5_000), gas: "200000" };
      const doc = makeAminoSignDoc(
        [{ type: "cosmos-sdk/MsgSend", value: { from_address: from, to_address: sink, amount: usoa(1) } }],
        fee,
        net.chainId,
        "",
        accountNumber,
        sequence,
      );
      return fromBase64((await w.signAmino(from, doc)).signature.signature);
    };
    const bigAmount = (10n ** 80n).toString();

    /** [name, tx bytes, expected code (undefined: any non-zero) ] */
    const cases: [string, Uint8Array | (() => Promise<Uint8Array>), number | undefined][] = [
      ["ascii garbage", new TextEncoder().encode("not a transaction"), 2],
      ["single zero byte", Uint8Array.of(0), 2],
      ["1 MiB of random bytes", rng.bytes(1024 * 1024), 2],
      ["TxRaw with empty body, auth info and signature", TxRaw.encode({ bodyBytes: new Uint8Array(), authInfoBytes: new Uint8Array(), signatures: [] }).finish(), undefined],
      ["unknown message type URL", () => craft({ messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgBurn", value: new Uint8Array() }] }), 2],
      ["no messages", () => craft({ messages: [] }), 18],
      ["message Any with garbage value", () => craft({ messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: Uint8Array.of(0xff, 0xff, 0xff) }] }), 2],
      ["MsgSend with an unknown field (SDK rejects unknown fields)", () => craft({ messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: concat(msgSendAny(from, sink, usoa(1)).value, lenField(99, Uint8Array.of(1))) }] }), 2],
      ["TxRaw with an appended unknown field (malleability, ADR-027)", () => craft({ rawExtra: lenField(9, Uint8Array.of(1, 2, 3)) }), 2],
      ["TxRaw with a non-minimal varint length (malleability, ADR-027)", async () => txRawNonMinimal(TxRaw.decode(await craft())), 2],
      ["TxRaw with fields out of order (ADR-027)", async () => {
        const r = TxRaw.decode(await craft());
        return concat(lenField(2, r.authInfoBytes), lenField(1, r.bodyBytes), lenField(3, r.signatures[0]!));
      }, 2],
      ["amino-signed tx with an unknown field appended to AuthInfo (malleability: amino signs JSON, not bytes)", async () => {
        const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.fromPartial({ fromAddress: from, toAddress: sink, amount: usoa(1) }) };
        const raw = await aminoSigner.client.sign(from, [msg], { amount: usoa(5_000), gas: "200000" }, "", { accountNumber, sequence, chainId: net.chainId });
        return TxRaw.encode({ ...raw, authInfoBytes: concat(raw.authInfoBytes, varintField(9, 1)) }).finish();
      }, 2],
      ["amino-signed tx with a wire-type-mismatched field in Fee (malleability)", async () => {
        const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.fromPartial({ fromAddress: from, toAddress: sink, amount: usoa(1) }) };
        const raw = await aminoSigner.client.sign(from, [msg], { amount: usoa(5_000), gas: "200000" }, "", { accountNumber, sequence, chainId: net.chainId });
        // Fee.amount's tag 0a (field 1, length-delimited) becomes 0b (field 1, start group): the lax
        // decoder still reads the same Fee, and amino sign bytes are regenerated from the decoded values
        const fee = Fee.encode(AuthInfo.decode(raw.authInfoBytes).fee!).finish();
        const at = Buffer.from(raw.authInfoBytes).indexOf(Buffer.from(fee));
        expect(at).toBeGreaterThan(0);
        const authInfoBytes = Uint8Array.from(raw.authInfoBytes);
        expect(authInfoBytes[at]).toBe(0x0a);
        authInfoBytes[at] = 0x0b;
        expect(AuthInfo.decode(authInfoBytes)).toEqual(AuthInfo.decode(raw.authInfoBytes));
        return TxRaw.encode({ ...raw, authInfoBytes }).finish();
      }, 2],
      ["TxBody with an unknown critical field", () => craft({ bodyExtra: lenField(6, Uint8Array.of(7)) }), 2],
      ["AuthInfo with an unknown field", () => craft({ authExtra: varintField(9, 1) }), 2],
      ["critical extension option", () => craft({ extensionOptions: [{ typeUrl: "/foo.Ext", value: new Uint8Array() }] }), 31],
      ["unordered tx", () => craft({ unordered: true }), undefined],
      // TxBody.timeout_timestamp (field 5) = {seconds: 4e9}, hand-encoded
      ["timeout_timestamp", () => craft({ bodyExtra: lenField(5, varintField(1, 4_000_000_000n)) }), undefined],
      ["two different signers, one signature", () => craft({ messages: [msgSendAny(from, sink, usoa(1)), msgSendAny(other!.address, sink, usoa(1))] }), undefined],
      ["no signatures", () => craft({ mapSignatures: () => [] }), 15],
      ["two signatures", () => craft({ mapSignatures: (s) => [s[0]!, s[0]!] }), undefined],
      ["empty signature", () => craft({ mapSignatures: () => [new Uint8Array()] }), 4],
      ["63-byte signature", () => craft({ mapSignatures: (s) => [s[0]!.slice(0, 63)] }), 4],
      ["65-byte signature", () => craft({ mapSignatures: (s) => [concat(s[0]!, Uint8Array.of(1))] }), 4],
      ["all-zero signature", () => craft({ mapSignatures: () => [new Uint8Array(64)] }), 4],
      ["high-S signature (malleability)", () => craft({ mapSignatures: highS }), 4],
      ["signature of another tx", async () => craft({ mapSignatures: () => [good.signatures[0]!], memo: "different" }), 4],
      ["SIGN_MODE_TEXTUAL", () => craft({ signMode: SignMode.SIGN_MODE_TEXTUAL }), undefined],
      ["SIGN_MODE_UNSPECIFIED (simulation mode) in a real tx", () => craft({ signMode: SignMode.SIGN_MODE_UNSPECIFIED }), undefined],
      ["amino signature declared as DIRECT", async () => {
        const sig = await aminoSig();
        return craft({ mapSignatures: () => [sig] });
      }, 4],
      ["direct signature declared as LEGACY_AMINO_JSON", () => craft({ signMode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON }), 4],
      ["pubkey of another account", async () => {
        const [o] = await otherWallet.getAccounts();
        return craft({ pubkey: encodePubkey(encodeSecp256k1Pubkey(o!.pubkey)) });
      }, 8],
      ["signed by another key with that key's pubkey", async () => {
        const [o] = await otherWallet.getAccounts();
        return craft({ signWith: otherWallet, pubkey: encodePubkey(encodeSecp256k1Pubkey(o!.pubkey)) });
      }, 8],
      ["ed25519 pubkey type", () => craft({ pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: lenField(1, new Uint8Array(32)) } }), 8],
      ["secp256k1 pubkey of 32 bytes", () => craft({ pubkey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: lenField(1, new Uint8Array(32)) } }), 8],
      ["no pubkey on an account without a stored key", async () => {
        const [f] = await freshWallet.getAccounts();
        return craft({ messages: [msgSendAny(f!.address, sink, usoa(1))], signWith: freshWallet, pubkey: null, accountNumber: 3n, sequence: 0n });
      }, 8],
      ["wrong chain id", () => craft({ chainId: "soa-other-1" }), 4],
      ["wrong account number", () => craft({ accountNumber: 7n }), 4],
      ["sequence + 1", () => craft({ sequence: BigInt(sequence + 1) }), 32],
      ["sequence 2^64-1", () => craft({ sequence: 2n ** 64n - 1n }), 32],
      ["gas limit 0", () => craft({ fee: { amount: usoa(5_000), gasLimit: 0n } }), undefined],
      ["gas limit 2^64-1", () => craft({ fee: { amount: usoa(5_000), gasLimit: 2n ** 64n - 1n } }), undefined],
      ["fee below the minimum gas price", () => craft({ fee: { amount: usoa(499), gasLimit: 200_000n } }), 13],
      ["no fee", () => craft({ fee: { amount: [], gasLimit: 200_000n } }), 13],
      ["fee in an unknown denom", () => craft({ fee: { amount: [{ denom: "uatom", amount: "100000" }], gasLimit: 200_000n } }), 13],
      ["fee above the balance", () => craft({ fee: { amount: usoa(10n ** 20n), gasLimit: 200_000n } }), 5],
      ["negative fee amount", () => craft({ fee: { amount: [{ denom: DENOM, amount: "-5000" }], gasLimit: 200_000n } }), 10],
      ["fee amount not a number", () => craft({ fee: { amount: [{ denom: DENOM, amount: "5e3" }], gasLimit: 200_000n } }), 10],
      ["duplicate fee denoms", () => craft({ fee: { amount: [...usoa(5_000), ...usoa(5_000)], gasLimit: 200_000n } }), 10],
      ["fee payer that did not sign", () => craft({ fee: { amount: usoa(5_000), gasLimit: 200_000n, payer: other!.address } }), undefined],
      ["fee granter (no feegrant module)", () => craft({ fee: { amount: usoa(5_000), gasLimit: 200_000n, granter: other!.address } }), undefined],
      ["tip", () => craft({ tip: { amount: usoa(1), tipper: from } }), undefined],
      ["memo of 257 bytes", () => craft({ memo: "x".repeat(257) }), 12],
      ["memo of 129 two-byte characters (258 bytes)", () => craft({ memo: "é".repeat(129) }), 12],
      ["expired timeout height", () => craft({ timeoutHeight: 1n }), 30],
      ["MsgSend of zero", () => craft({ messages: [msgSendAny(from, sink, usoa(0))] }), 10],
      ["MsgSend without coins", () => craft({ messages: [msgSendAny(from, sink, [])] }), 10],
      ["MsgSend of a negative amount", () => craft({ messages: [msgSendAny(from, sink, [{ denom: DENOM, amount: "-1" }])] }), 10],
      ["MsgSend of 10^80 (above 2^256)", () => craft({ messages: [msgSendAny(from, sink, [{ denom: DENOM, amount: bigAmount }])] }), 10],
      ["MsgSend with an invalid denom", () => craft({ messages: [msgSendAny(from, sink, [{ denom: "U$OA", amount: "1" }])] }), 10],
      ["MsgSend with unsorted coins", () => craft({ messages: [msgSendAny(from, sink, [{ denom: "zzz", amount: "1" }, { denom: "aaa", amount: "1" }])] }), 10],
      ["MsgSend to a bad bech32 checksum", () => craft({ messages: [msgSendAny(from, `${sink.slice(0, -1)}${sink.endsWith("q") ? "p" : "q"}`, usoa(1))] }), 7],
      ["MsgSend to an empty address", () => craft({ messages: [msgSendAny(from, "", usoa(1))] }), 7],
      ["MsgSend to a valoper address", () => craft({ messages: [msgSendAny(from, sink.replace(/^soa1/, "soavaloper1"), usoa(1))] }), 7],
      ["MsgSend from an address that is not the signer", () => craft({ messages: [msgSendAny(other!.address, sink, usoa(1))] }), undefined],
      ["signer account does not exist", async () => {
        const [s] = await strangerWallet.getAccounts();
        return craft({
          messages: [msgSendAny(stranger!.address, sink, usoa(1))],
          signWith: strangerWallet,
          pubkey: encodePubkey(encodeSecp256k1Pubkey(s!.pubkey)),
          sequence: 0n,
        });
      }, 9],
      ["MsgMultiSend with inputs != outputs", () => craft({
        messages: [{
          typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
          value: MsgMultiSend.encode({ inputs: [{ address: from, coins: usoa(2) }], outputs: [{ address: sink, coins: usoa(1) }] }).finish(),
        }],
      }), undefined],
      ["MsgMultiSend with two inputs", () => craft({
        messages: [{
          typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
          value: MsgMultiSend.encode({
            inputs: [{ address: from, coins: usoa(1) }, { address: from, coins: usoa(1) }],
            outputs: [{ address: sink, coins: usoa(2) }],
          }).finish(),
        }],
      }), undefined],
      ["MsgMultiSend without outputs", () => craft({
        messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: MsgMultiSend.encode({ inputs: [{ address: from, coins: usoa(1) }], outputs: [] }).finish() }],
      }), undefined],
    ];

    const problems: string[] = [];
    for (const [name, make, want] of cases) {
      const tx = typeof make === "function" ? await make() : make;
      const o = await broadcast(name, tx);
      if (o.rpcError !== undefined) {
        if (!COMET_LEVEL_ERROR.test(o.rpcError)) problems.push(`${name}: unexpected JSON-RPC error ${o.rpcError}`);
        continue;
      }
      if (o.code === 0) {
        problems.push(`${name}: ACCEPTED by CheckTx (code 0)`);
        ({ sequence } = await pollUntil("sequence after an accepted bad tx", async () => {
          const s = await query.getSequence(signer.address);
          return s.sequence > sequence ? s : undefined;
        }));
        continue;
      }
      if (!o.codespace || !o.log) problems.push(`${name}: code ${o.code} without codespace/log (${describeOutcome(o)})`);
      if (want !== undefined && o.code !== want) problems.push(`${name}: expected code ${want}, got ${describeOutcome(o)}`);
    }
    for (const { name, outcome } of outcomes) console.log(`[badinput.e2e] ${name.padEnd(60)} ${describeOutcome(outcome).slice(0, 160)}`);
    expect(problems).toEqual([]);
  }, TEST_TIMEOUT);

  it("refuses a transaction one byte above mempool.max_tx_bytes at the CometBFT level", async () => {
    const o = await broadcast("oversize", rng.bytes(MAX_TX_BYTES + 1));
    expect(o.rpcError ?? describeOutcome(o)).toMatch(/too large/i);
  }, TEST_TIMEOUT);

  it("refuses ~250 random and mutated byte strings", async () => {
    ({ sequence } = await query.getSequence(signer.address));
    const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.fromPartial({ fromAddress: signer.address, toAddress: sink, amount: usoa(1) }) };
    const fee = { amount: usoa(5_000), gas: "200000" };
    const signerData = { accountNumber, sequence, chainId: net.chainId };
    // bases: valid, signed txs that are never broadcast unchanged
    const bases = [
      TxRaw.encode(await signer.client.sign(signer.address, [msg], fee, "direct base", signerData)).finish(),
      TxRaw.encode(await aminoSigner.client.sign(signer.address, [msg], fee, "amino base & <memo>", signerData)).finish(),
      await craft({ memo: "crafted base" }),
    ];
    /** TxRaw of b, or of a base when b (already mutated) does not decode. */
    const decodeOr = (b: Uint8Array): TxRaw => {
      try {
        const r = TxRaw.decode(b);
        if (r.bodyBytes.length > 0 && r.authInfoBytes.length > 0) return r;
      } catch {
        // fall through
      }
      return TxRaw.decode(rng.pick(bases));
    };
    const mutators: Record<string, (b: Uint8Array) => Uint8Array> = {
      flipBit: (b) => {
        const o = Uint8Array.from(b);
        const i = rng.int(0, o.length - 1);
        o[i] = o[i]! ^ (1 << rng.int(0, 7));
        return o;
      },
      setByte: (b) => {
        const o = Uint8Array.from(b);
        const i = rng.int(0, o.length - 1);
        o[i] = (o[i]! + rng.int(1, 255)) & 0xff;
        return o;
      },
      truncate: (b) => b.slice(0, rng.int(1, b.length - 1)),
      dropPrefix: (b) => b.slice(rng.int(1, b.length - 1)),
      insert: (b) => {
        const i = rng.int(0, b.length);
        return concat(b.slice(0, i), rng.bytes(rng.int(1, 8)), b.slice(i));
      },
      deleteRange: (b) => {
        const i = rng.int(0, b.length - 2);
        return concat(b.slice(0, i), b.slice(i + rng.int(1, Math.min(16, b.length - i - 1))));
      },
      duplicateRange: (b) => {
        const i = rng.int(0, b.length - 2);
        const j = rng.int(i + 1, Math.min(b.length, i + 40));
        return concat(b.slice(0, j), b.slice(i, j), b.slice(j));
      },
      splice: (b) => {
        const other = rng.pick(bases);
        return concat(b.slice(0, rng.int(1, b.length - 1)), other.slice(rng.int(1, other.length - 1)));
      },
      zeroRange: (b) => {
        const o = Uint8Array.from(b);
        const i = rng.int(0, o.length - 1);
        o.fill(0, i, Math.min(o.length, i + rng.int(1, 32)));
        return o;
      },
      randomBytes: () => rng.bytes(rng.int(1, 600)),
      randomProtobuf: () => {
        const parts: Uint8Array[] = [];
        for (let k = rng.int(1, 8); k > 0; k--) {
          const field = rng.pick([1, 2, 3, 4, 5, 15, 16, 1023, 2047]);
          parts.push(rng.chance(0.5) ? lenField(field, rng.bytes(rng.int(0, 80))) : varintField(field, rng.u32()));
        }
        return concat(...parts);
      },
      bodyMutation: (b) => {
        // a structurally valid TxRaw whose body bytes are mutated (signature no longer matches)
        const r = decodeOr(b);
        const body = Uint8Array.from(r.bodyBytes);
        body[rng.int(0, body.length - 1)] ^= 1 << rng.int(0, 7);
        return TxRaw.encode({ ...r, bodyBytes: body }).finish();
      },
      authInfoMutation: (b) => {
        const r = decodeOr(b);
        const ai = Uint8Array.from(r.authInfoBytes);
        ai[rng.int(0, ai.length - 1)] ^= 1 << rng.int(0, 7);
        return TxRaw.encode({ ...r, authInfoBytes: ai }).finish();
      },
      signatureMutation: (b) => {
        const r = decodeOr(b);
        const sig = Uint8Array.from(r.signatures[0] ?? rng.bytes(64));
        sig[rng.int(0, sig.length - 1)] ^= 1 << rng.int(0, 7);
        return TxRaw.encode({ ...r, signatures: [sig] }).finish();
      },
    };
    const names = Object.keys(mutators);
    const accepted: string[] = [];
    const badShape: string[] = [];
    const histogram = new Map<string, number>();
    const N = 250;
    for (let k = 0; k < N; k++) {
      const base = rng.pick(bases);
      const m = rng.pick(names);
      let tx = mutators[m]!(base);
      if (rng.chance(0.2)) tx = mutators[rng.pick(names)]!(tx.length > 2 ? tx : base); // sometimes two mutations
      if (tx.length === 0) tx = Uint8Array.of(0);
      // A splice can rebuild a base byte for byte (e.g. two bases sharing the bytes at the cut): that
      // is a valid, correctly signed tx, not a mutation; flip a bit of its signature instead.
      if (bases.some((x) => Buffer.from(x).equals(Buffer.from(tx)))) tx = mutators.signatureMutation!(tx);
      const o = await broadcast(`mutated#${k} ${m}`, tx);
      const key = o.rpcError !== undefined ? `rpc:${o.rpcError.slice(0, 40)}` : `code ${o.code}`;
      histogram.set(key, (histogram.get(key) ?? 0) + 1);
      if (o.rpcError !== undefined) {
        if (!COMET_LEVEL_ERROR.test(o.rpcError)) badShape.push(`mutated#${k} ${m}: unexpected JSON-RPC error ${o.rpcError}`);
      } else if (o.code === 0) {
        accepted.push(`mutated#${k} ${m}: accepted; tx ${toBase64(tx)}`);
      } else if (!o.codespace || !o.log) {
        badShape.push(`mutated#${k} ${m}: ${describeOutcome(o)}`);
      }
    }
    console.log(`[badinput.e2e] ${N} mutated/random txs:`, Object.fromEntries([...histogram].sort((a, b) => b[1] - a[1])));
    expect(badShape).toEqual([]);
    expect(accepted).toEqual([]);
  }, TEST_TIMEOUT);

  it("keeps running: same soad process, new blocks, empty mempool, and a valid send succeeds", async () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(300);
    expect(net.pids(0).soad).toBe(soadPid);
    const h = await net.height(0);
    await net.waitForHeight(h + 3, 0);
    const mempool = await pollUntil("an empty mempool", async () => {
      const r = await rpcCall<{ n_txs: string; total: string }>(net.rpcUrl(0), "num_unconfirmed_txs");
      return r.result && r.result.total === "0" ? r.result : undefined;
    });
    expect(mempool.total).toBe("0");

    // the crafting helper itself produces valid txs: the unmodified control goes through
    ({ sequence } = await query.getSequence(signer.address));
    const sinkBefore = await usoaBalance(query, sink);
    const control = await broadcast("control (valid)", await craft({ memo: "control" }));
    expect(control.code, describeOutcome(control)).toBe(0);
    await pollUntil("the control tx in a block", async () => ((await usoaBalance(query, sink)) === sinkBefore + 1n ? true : undefined));

    const to = randomAddress(rng);
    const before = await usoaBalance(query, signer.address);
    const r = await signer.client.sendTokens(signer.address, to, usoa(1_000), "auto", "after the storm");
    assertIsDeliverTxSuccess(r);
    expect(await usoaBalance(query, to)).toBe(1_000n);
    const tx = await query.getTx(r.transactionHash);
    const fee = feeOfTx(tx!.tx);
    expect(await usoaBalance(query, signer.address)).toBe(before - 1_000n - fee);
    expect(net.pids(0).soad).toBe(soadPid);
  }, TEST_TIMEOUT);
});
