// app_state.slashing in the SDK's JSON shape (x/slashing GenesisState as protojson), and its import at
// InitChain — after staking's, so that the bonded set is known.
import type { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import type { Context } from "../../app/context.js";
import { parseTimeJson } from "../staking/genesis.js";
import { consAddress, type StakingKeeper } from "../staking/keeper.js";
import { DEFAULT_EVIDENCE_MAX_AGE, formatConsAddress, newSigningInfo, parseConsAddress, type SlashingKeeper } from "./keeper.js";
import { defaultSlashingParams, paramsFromJson, paramsToJson, type SlashingParamsJson } from "./params.js";

export interface SigningInfoJson {
  address: string;
  start_height: string;
  index_offset: string;
  jailed_until: string;
  tombstoned: boolean;
  missed_blocks_counter: string;
}

export interface SlashingGenesis {
  params?: Partial<SlashingParamsJson>;
  signing_infos?: { address: string; validator_signing_info: SigningInfoJson }[];
  missed_blocks?: { address: string; missed_blocks: { index: string; missed: boolean }[] }[];
}

export function defaultSlashingGenesis(): SlashingGenesis {
  return { params: paramsToJson(defaultSlashingParams()), signing_infos: [], missed_blocks: [] };
}

const int = (v: unknown, what: string): bigint => {
  if (typeof v !== "string" || !/^-?[0-9]{1,19}$/.test(v)) throw new Error(`${what} must be an integer string, got ${JSON.stringify(v)}`);
  return BigInt(v);
};

function cons(s: unknown, what: string): Uint8Array {
  try {
    return parseConsAddress(String(s));
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/**
 * Imports params, signing infos and missed-blocks bits; records CometBFT's evidence max age from the
 * InitChain consensus params; gives every bonded validator without one a fresh signing info (what the
 * AfterValidatorBonded hook does for validators bonded by gentxs). Throws an Error naming the field.
 */
export function initSlashingGenesis(ctx: Context, slashing: SlashingKeeper, staking: StakingKeeper, g: SlashingGenesis | undefined, consensus: ConsensusParams | undefined): void {
  slashing.setParams(ctx.store, paramsFromJson(g?.params));
  const ev = consensus?.evidence;
  if (ev && ev.maxAgeDuration) {
    slashing.setEvidenceMaxAge(ctx.store, { numBlocks: ev.maxAgeNumBlocks, durationNanos: ev.maxAgeDuration.seconds * 1_000_000_000n + BigInt(ev.maxAgeDuration.nanos) });
  } else {
    slashing.setEvidenceMaxAge(ctx.store, DEFAULT_EVIDENCE_MAX_AGE);
  }
  const window = slashing.getParams(ctx.store).signedBlocksWindow;
  for (const [i, e] of (g?.signing_infos ?? []).entries()) {
    const w = `slashing.signing_infos[${i}]`;
    const address = cons(e.address, `${w}.address`);
    const j = e.validator_signing_info;
    if (!j) throw new Error(`${w}.validator_signing_info is required`);
    slashing.setSigningInfo(ctx.store, {
      address,
      startHeight: int(j.start_height ?? "0", `${w}.start_height`),
      indexOffset: int(j.index_offset ?? "0", `${w}.index_offset`),
      jailedUntilNanos: j.jailed_until === undefined ? 0n : parseTimeJson(j.jailed_until, `${w}.jailed_until`),
      tombstoned: j.tombstoned === true,
      missedBlocksCounter: int(j.missed_blocks_counter ?? "0", `${w}.missed_blocks_counter`),
    });
  }
  for (const [i, e] of (g?.missed_blocks ?? []).entries()) {
    const w = `slashing.missed_blocks[${i}]`;
    const address = cons(e.address, `${w}.address`);
    for (const b of e.missed_blocks ?? []) {
      const index = int(b.index, `${w}.missed_blocks.index`);
      if (index < 0n || index >= window) throw new Error(`${w}: index ${index} outside the signed blocks window ${window}`);
      slashing.setMissedBit(ctx.store, address, index, b.missed === true);
    }
  }
  for (const v of staking.getBondedValidatorsByPower(ctx.store)) {
    const c = consAddress(v.consPubkey);
    if (!slashing.getSigningInfo(ctx.store, c)) slashing.setSigningInfo(ctx.store, newSigningInfo(c, ctx.height));
  }
}

/** ExportGenesis: params, every signing info and its missed bits (SDK JSON). */
export function exportSlashingGenesis(s: Context["store"], slashing: SlashingKeeper): SlashingGenesis {
  const infos = [...slashing.iterateSigningInfos(s)].map(({ value: v }) => v);
  return {
    params: paramsToJson(slashing.getParams(s)),
    signing_infos: infos.map((v) => ({
      address: formatConsAddress(v.address),
      validator_signing_info: {
        address: formatConsAddress(v.address),
        start_height: v.startHeight.toString(),
        index_offset: v.indexOffset.toString(),
        jailed_until: new Date(Number(v.jailedUntilNanos / 1_000_000n)).toISOString().replace(/\.\d{3}Z$/, "Z"),
        tombstoned: v.tombstoned,
        missed_blocks_counter: v.missedBlocksCounter.toString(),
      },
    })),
    missed_blocks: infos.map((v) => ({ address: formatConsAddress(v.address), missed_blocks: slashing.missedIndexes(s, v.address).map((i) => ({ index: i.toString(), missed: true })) })),
  };
}
