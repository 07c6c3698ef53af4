// The ante handler: everything a transaction must pass before its messages run
// (SDK order: timeout height → memo → tx size gas → min fee → fee deduction → pubkey →
// signature gas → sequence → signature → sequence increment). Runs on a branch: if it throws,
// nothing it wrote is kept.
import type { DecodedTx } from "../tx/decode.js";
import { signBytesFor } from "../tx/signBytes.js";
import { secp256k1Address, verifySecp256k1 } from "../crypto/secp256k1.js";
import {
  ErrInsufficientFee,
  ErrInvalidGasLimit,
  ErrInvalidPubKey,
  ErrMemoTooLarge,
  ErrTxTimeoutHeight,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrWrongSequence,
} from "../errors/sdk.js";
import { ChainError } from "../errors/errors.js";
import { type Account, FEE_COLLECTOR, moduleAddress, secp256k1PubkeyAny, type AuthKeeper } from "../modules/auth/keeper.js";
import type { BankKeeper } from "../modules/bank/keeper.js";
import { parseAddress } from "../types/address.js";
import { BOND_DENOM } from "../constants.js";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { formatCoins } from "../types/coins.js";
import type { DecCoin } from "../types/dec.js";
import type { Context } from "./context.js";

/**
 * Bytes a real signature and fee add to a simulated tx (which carries neither), charged in
 * simulation so that estimates are not below the delivered cost: a 64-byte signature with its
 * field tag, and a fee coin.
 */
export const SIMULATION_EXTRA_TX_BYTES = 100n;

/** Tx hashes whose signature already verified (CheckTx → FinalizeBlock); bounded, FIFO eviction. */
export class SignatureCache {
  private readonly seen = new Set<string>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity = 100_000) {}

  has(hash: Buffer): boolean {
    const ok = this.seen.has(hash.toString("latin1"));
    if (ok) this.hits++;
    else this.misses++;
    return ok;
  }

  /** Like has(), without counting (for lookups outside transaction execution). */
  peek(hash: Buffer): boolean {
    return this.seen.has(hash.toString("latin1"));
  }

  add(hash: Buffer): void {
    if (this.seen.size >= this.capacity) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(hash.toString("latin1"));
  }
}

export interface AnteDeps {
  auth: AuthKeeper;
  bank: BankKeeper;
  sigCache: SignatureCache;
  /** Node-local minimum gas prices, enforced in CheckTx only. */
  minGasPrices: readonly DecCoin[];
  /** consensus_params.block.max_gas (-1: no limit): a tx may not ask for more than a block holds. */
  maxBlockGas: bigint;
}

export function runAnte(ctx: Context, tx: DecodedTx, deps: AnteDeps): void {
  if (ctx.mode === "recheck") return reapplyAnte(ctx, tx, deps);
  const { auth } = deps;
  const params = auth.getParams(ctx.store);

  checkTimeoutHeight(ctx, tx);
  if (deps.maxBlockGas > 0n && tx.gasLimit > deps.maxBlockGas) {
    throw ErrInvalidGasLimit.wrap(`tx gas limit ${tx.gasLimit} exceeds block max gas ${deps.maxBlockGas}`);
  }
  const memoLen = BigInt(Buffer.byteLength(tx.body.memo, "utf8"));
  if (memoLen > params.maxMemoCharacters) {
    throw ErrMemoTooLarge.wrap(`maximum number of characters is ${params.maxMemoCharacters} but received ${memoLen} characters`);
  }

  const sizeBytes = BigInt(tx.bytes.length) + (ctx.mode === "simulate" ? SIMULATION_EXTRA_TX_BYTES : 0n);
  ctx.gasMeter.consume(params.txSizeCostPerByte * sizeBytes, "txSize");

  if (ctx.mode === "check" && deps.minGasPrices.length > 0) {
    const required = deps.minGasPrices.map((p) => ({ denom: p.denom, amount: p.amount.mulIntCeil(tx.gasLimit) }));
    const enough = required.some((r) => r.amount === 0n || tx.fee.some((f) => f.denom === r.denom && f.amount >= r.amount));
    if (!enough) {
      throw ErrInsufficientFee.wrap(`insufficient fees; got: ${formatCoins(tx.fee) || "0usoa"} required: ${formatCoins(required)}`);
    }
  }

  const { signerAddr, account } = loadSigner(ctx, tx, deps);
  deductFee(ctx, tx, signerAddr, deps);
  ctx.events.emit("tx", () => [
    ["fee", formatCoins(tx.fee)],
    ["fee_payer", tx.signer],
  ]);

  const storedKey = account.base.pubKey?.value.length ? account.base.pubKey : undefined;
  let pubkey = tx.pubkey;
  if (pubkey) {
    if (!Buffer.from(secp256k1Address(pubkey)).equals(Buffer.from(signerAddr))) {
      throw ErrInvalidPubKey.wrap(`pubKey does not match signer address ${tx.signer} with signer index: 0`);
    }
    if (storedKey && !Buffer.from(storedKey.value).equals(Buffer.from(secp256k1PubkeyAny(pubkey).value))) {
      throw ErrInvalidPubKey.wrap(`pubKey does not match the one stored for ${tx.signer}`);
    }
  } else if (storedKey) {
    pubkey = decodeStoredKey(storedKey.value);
  } else if (ctx.mode !== "simulate") {
    throw ErrInvalidPubKey.wrap(`pubkey on account ${tx.signer} is not set and the tx carries none`);
  }

  ctx.gasMeter.consume(params.sigVerifyCostSecp256k1, "ante verify: secp256k1");
  checkSequence(tx, account);

  if (ctx.mode !== "simulate" && !deps.sigCache.has(tx.hash)) {
    let ok = false;
    try {
      // Genesis txs (gentxs) are signed with account number 0, as in the SDK (block height 0).
      const accountNumber = ctx.mode === "genesis" ? 0n : account.base.accountNumber;
      ok = verifySecp256k1(signBytesFor(tx, ctx.chainId, accountNumber), tx.signature, pubkey!);
    } catch (e) {
      if (e instanceof ChainError) throw e;
      ok = false;
    }
    if (!ok) {
      throw ErrUnauthorized.wrap(
        `signature verification failed; please verify account number (${account.base.accountNumber}) and chain-id (${ctx.chainId})`,
      );
    }
    deps.sigCache.add(tx.hash);
  }

  ctx.events.emit("tx", () => [["acc_seq", `${tx.signer}/${tx.sequence}`]]);
  ctx.events.emit("tx", () => [["signature", Buffer.from(tx.signature).toString("base64")]]);
  bumpSequence(ctx, account, pubkey, deps);
}

/**
 * RECHECK (after each Commit, for txs still in the mempool): the tx passed the full ante handler
 * before, and its stateless checks, fee floor and signature still hold. Only what a block can have
 * changed is checked again — timeout height, the signer's sequence and fee balance — and the tx's
 * effects are re-applied to the fresh check state, so later txs of the same signer see them.
 */
function reapplyAnte(ctx: Context, tx: DecodedTx, deps: AnteDeps): void {
  checkTimeoutHeight(ctx, tx);
  const { signerAddr, account } = loadSigner(ctx, tx, deps);
  checkSequence(tx, account);
  deductFee(ctx, tx, signerAddr, deps);
  bumpSequence(ctx, account, tx.pubkey, deps);
}

function checkTimeoutHeight(ctx: Context, tx: DecodedTx): void {
  if (tx.body.timeoutHeight > 0n && ctx.height > tx.body.timeoutHeight) {
    throw ErrTxTimeoutHeight.wrap(`block height: ${ctx.height}, timeout height: ${tx.body.timeoutHeight}`);
  }
}

function loadSigner(ctx: Context, tx: DecodedTx, deps: AnteDeps): { signerAddr: Uint8Array; account: Account } {
  const signerAddr = parseAddress(tx.signer);
  const account = deps.auth.getAccount(ctx.store, signerAddr);
  if (!account) throw ErrUnknownAddress.wrap(`account ${tx.signer} does not exist`);
  return { signerAddr, account };
}

function checkSequence(tx: DecodedTx, account: Account): void {
  if (tx.sequence !== account.base.sequence) {
    throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${account.base.sequence}, got ${tx.sequence}`);
  }
}

function deductFee(ctx: Context, tx: DecodedTx, signerAddr: Uint8Array, deps: AnteDeps): void {
  const { bank } = deps;
  if (tx.fee.length > 0) {
    try {
      bank.sendCoins(ctx, signerAddr, moduleAddress(FEE_COLLECTOR), tx.fee);
    } catch (e) {
      if (e instanceof ChainError) throw e.registered.wrap(`insufficient funds to pay for fees; ${e.context}`);
      throw e;
    }
  } else if (ctx.mode === "simulate" && bank.getBalance(ctx.store, signerAddr, BOND_DENOM) > 0n) {
    // CosmJS simulates with an empty fee; charge the store access of paying one (on the throwaway
    // branch) so the estimate covers the delivered tx, which will pay a fee.
    bank.sendCoins(ctx, signerAddr, moduleAddress(FEE_COLLECTOR), [{ denom: BOND_DENOM, amount: 1n }]);
  }
}

/** Stores the pubkey on first use and advances the sequence. */
function bumpSequence(ctx: Context, account: Account, pubkey: Uint8Array | undefined, deps: AnteDeps): void {
  const storedKey = account.base.pubKey?.value.length ? account.base.pubKey : undefined;
  deps.auth.setAccount(ctx.store, {
    ...account,
    base: {
      ...account.base,
      pubKey: storedKey ?? (pubkey ? secp256k1PubkeyAny(pubkey) : undefined),
      sequence: account.base.sequence + 1n,
    },
  });
}

function decodeStoredKey(anyValue: Uint8Array): Uint8Array {
  return Secp256k1PubKey.decode(anyValue).key;
}
