// Legacy subspace "gov" for ParameterChangeProposal: the SDK's keys "depositparams", "votingparams"
// and "tallyparams" (amino JSON objects; fields left out keep their value, as json.Unmarshal into the
// existing struct does). Durations are nanoseconds (amino JSON of time.Duration).
import { coinsFromProto } from "../../types/coins.js";
import { Dec } from "../../types/dec.js";
import type { GovKeeper } from "./keeper.js";
import { jsonValue, type ParamSubspace } from "./legacy.js";
import { validateGovParams } from "./params.js";

const obj = (value: string): Record<string, unknown> => {
  const v = jsonValue(value);
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`expected a JSON object, got ${value}`);
  return v as Record<string, unknown>;
};
const nanos = (v: unknown, f: string): bigint => {
  if ((typeof v === "string" && /^[0-9]{1,20}$/.test(v)) || (typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) return BigInt(v);
  throw new Error(`${f} must be nanoseconds, got ${JSON.stringify(v)}`);
};
const dec = (v: unknown, f: string): Dec => {
  if (typeof v !== "string") throw new Error(`${f} must be a quoted decimal, got ${JSON.stringify(v)}`);
  return Dec.parse(v);
};

export function govParamSubspace(gov: GovKeeper): ParamSubspace {
  return (ctx, key, value) => {
    const p = gov.getParams(ctx.store);
    const o = obj(value);
    switch (key) {
      case "depositparams":
        if (o["min_deposit"] !== undefined) {
          const list = o["min_deposit"] as { denom: string; amount: string }[];
          p.minDeposit = coinsFromProto([...list].sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0)));
        }
        if (o["max_deposit_period"] !== undefined) p.maxDepositPeriodNanos = nanos(o["max_deposit_period"], "max_deposit_period");
        break;
      case "votingparams":
        if (o["voting_period"] !== undefined) p.votingPeriodNanos = nanos(o["voting_period"], "voting_period");
        break;
      case "tallyparams":
        if (o["quorum"] !== undefined) p.quorum = dec(o["quorum"], "quorum");
        if (o["threshold"] !== undefined) p.threshold = dec(o["threshold"], "threshold");
        if (o["veto_threshold"] !== undefined) p.vetoThreshold = dec(o["veto_threshold"], "veto_threshold");
        break;
      default:
        throw new Error(`parameter ${key} not registered`);
    }
    validateGovParams(p);
    gov.setParams(ctx.store, p);
  };
}
