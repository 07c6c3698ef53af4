// slashing params: domain type (Dec, ns), the SDK's defaults and validation, and the conversions to
// cosmos.slashing.v1beta1.Params (LegacyDec fields are `bytes` holding the atomics as ASCII, as the
// SDK's LegacyDec.Marshal writes them) and to genesis JSON (SDK protojson shape).
import { Params as ParamsProto } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { Dec } from "../../types/dec.js";
import { formatDurationJson, parseDurationJson } from "../staking/params.js";

const NANOS = 1_000_000_000n;

export interface SlashingParams {
  signedBlocksWindow: bigint;
  minSignedPerWindow: Dec;
  downtimeJailDurationNanos: bigint;
  slashFractionDoubleSign: Dec;
  slashFractionDowntime: Dec;
}

export interface SlashingParamsJson {
  signed_blocks_window: string;
  min_signed_per_window: string;
  downtime_jail_duration: string;
  slash_fraction_double_sign: string;
  slash_fraction_downtime: string;
}

/** The SDK's defaults (x/slashing/types/params.go) except slash_fraction_downtime: 0.01 % (issue 3). */
export function defaultSlashingParams(): SlashingParams {
  return {
    signedBlocksWindow: 100n,
    minSignedPerWindow: Dec.parse("0.5"),
    downtimeJailDurationNanos: 600n * NANOS,
    slashFractionDoubleSign: Dec.parse("0.05"),
    slashFractionDowntime: Dec.parse("0.0001"),
  };
}

const MAX_INT64 = (1n << 63n) - 1n;

/** Params.Validate of the SDK (window > 0, duration > 0, fractions in [0, 1]). Throws naming the field. */
export function validateSlashingParams(p: SlashingParams, where = "slashing.params"): void {
  if (p.signedBlocksWindow <= 0n || p.signedBlocksWindow > MAX_INT64) throw new Error(`${where}.signed_blocks_window must be positive: ${p.signedBlocksWindow}`);
  if (p.downtimeJailDurationNanos <= 0n) throw new Error(`${where}.downtime_jail_duration must be positive: ${p.downtimeJailDurationNanos}ns`);
  const unit = (d: Dec, f: string) => {
    if (d.isNegative()) throw new Error(`${where}.${f} cannot be negative: ${d}`);
    if (d.gt(Dec.ONE)) throw new Error(`${where}.${f} too large: ${d}`);
  };
  unit(p.minSignedPerWindow, "min_signed_per_window");
  unit(p.slashFractionDoubleSign, "slash_fraction_double_sign");
  unit(p.slashFractionDowntime, "slash_fraction_downtime");
}

/** MinSignedPerWindowInt: min_signed_per_window × window, rounded half to even (LegacyDec.RoundInt64). */
export function minSignedPerWindowInt(p: SlashingParams): bigint {
  const x = p.minSignedPerWindow.mulInt(p.signedBlocksWindow).atomics;
  const ONE = 10n ** 18n;
  const q = x / ONE;
  const r = x % ONE;
  const half = ONE / 2n;
  if (r < half) return q;
  if (r > half) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}

const decBytes = (d: Dec) => Buffer.from(d.toAtomicsString(), "latin1");
const bytesDec = (b: Uint8Array) => (b.length === 0 ? Dec.ZERO : Dec.fromAtomicsString(Buffer.from(b).toString("latin1")));

export function paramsToProto(p: SlashingParams): ParamsProto {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: decBytes(p.minSignedPerWindow),
    downtimeJailDuration: { seconds: p.downtimeJailDurationNanos / NANOS, nanos: Number(p.downtimeJailDurationNanos % NANOS) },
    slashFractionDoubleSign: decBytes(p.slashFractionDoubleSign),
    slashFractionDowntime: decBytes(p.slashFractionDowntime),
  };
}

export function paramsFromProto(p: ParamsProto): SlashingParams {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: bytesDec(p.minSignedPerWindow),
    downtimeJailDurationNanos: p.downtimeJailDuration.seconds * NANOS + BigInt(p.downtimeJailDuration.nanos),
    slashFractionDoubleSign: bytesDec(p.slashFractionDoubleSign),
    slashFractionDowntime: bytesDec(p.slashFractionDowntime),
  };
}

export function paramsToJson(p: SlashingParams): SlashingParamsJson {
  return {
    signed_blocks_window: p.signedBlocksWindow.toString(),
    min_signed_per_window: p.minSignedPerWindow.toString(),
    downtime_jail_duration: formatDurationJson(p.downtimeJailDurationNanos),
    slash_fraction_double_sign: p.slashFractionDoubleSign.toString(),
    slash_fraction_downtime: p.slashFractionDowntime.toString(),
  };
}

/** Genesis JSON → params; missing fields keep their defaults; validated. */
export function paramsFromJson(j: Partial<SlashingParamsJson> | undefined): SlashingParams {
  const d = defaultSlashingParams();
  if (!j) return d;
  const dec = (v: unknown, f: string, dflt: Dec): Dec => {
    if (v === undefined) return dflt;
    if (typeof v !== "string") throw new Error(`slashing.params.${f} must be a decimal string, got ${JSON.stringify(v)}`);
    try {
      return Dec.parse(v);
    } catch {
      throw new Error(`slashing.params.${f} must be a non-negative decimal, got ${JSON.stringify(v)}`);
    }
  };
  let window = d.signedBlocksWindow;
  if (j.signed_blocks_window !== undefined) {
    const v: unknown = j.signed_blocks_window;
    if ((typeof v !== "string" && typeof v !== "number") || !/^[0-9]{1,19}$/.test(String(v))) {
      throw new Error(`slashing.params.signed_blocks_window must be an integer string, got ${JSON.stringify(v)}`);
    }
    window = BigInt(String(v));
  }
  const p: SlashingParams = {
    signedBlocksWindow: window,
    minSignedPerWindow: dec(j.min_signed_per_window, "min_signed_per_window", d.minSignedPerWindow),
    downtimeJailDurationNanos:
      j.downtime_jail_duration === undefined ? d.downtimeJailDurationNanos : parseDurationJson(j.downtime_jail_duration, "slashing.params.downtime_jail_duration"),
    slashFractionDoubleSign: dec(j.slash_fraction_double_sign, "slash_fraction_double_sign", d.slashFractionDoubleSign),
    slashFractionDowntime: dec(j.slash_fraction_downtime, "slash_fraction_downtime", d.slashFractionDowntime),
  };
  validateSlashingParams(p);
  return p;
}
