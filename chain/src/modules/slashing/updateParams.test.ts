import { describe, expect, it } from "vitest";
import { MsgUpdateParams } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { EventManager, type Context } from "../../app/context.js";
import { ChainError } from "../../errors/errors.js";
import { GasMeter } from "../../gas/meter.js";
import { BranchStore } from "../../store/branch.js";
import type { KVReader } from "../../store/types.js";
import { keyFromSeed } from "../../tx/build.js";
import { AuthKeeper } from "../auth/keeper.js";
import { BankKeeper } from "../bank/keeper.js";
import { StakingKeeper } from "../staking/keeper.js";
import { SlashingKeeper } from "./keeper.js";
import { defaultSlashingParams, paramsToProto } from "./params.js";
import { slashingParamSubspace, slashingUpdateParamsHandler } from "./updateParams.js";

const empty: KVReader = { get: () => undefined, iterate: () => [], iterateReverse: () => [] };
const SEC = 1_000_000_000n;

function env() {
  const store = new BranchStore(empty);
  const auth = new AuthKeeper();
  const slashing = new SlashingKeeper(new StakingKeeper(auth, new BankKeeper(auth)));
  slashing.setParams(store, defaultSlashingParams());
  const ctx: Context = { store, rawStore: store, gasMeter: new GasMeter(undefined), events: new EventManager(), chainId: "t", height: 1n, timeSeconds: 0n, timeNanos: 0n, mode: "deliver" };
  return { store, slashing, ctx };
}

describe("slashing params by governance", () => {
  it("MsgUpdateParams: only the authority; params validated", () => {
    const { store, slashing, ctx } = env();
    const gov = keyFromSeed("gov").address;
    const h = slashingUpdateParamsHandler(slashing, gov);
    const params = paramsToProto({ ...defaultSlashingParams(), signedBlocksWindow: 500n, downtimeJailDurationNanos: 60n * SEC });
    expect(() => h.execute(ctx, MsgUpdateParams.fromPartial({ authority: keyFromSeed("x").address, params }))).toThrow(/invalid authority/);
    expect(() => h.execute(ctx, MsgUpdateParams.fromPartial({ authority: gov, params: { ...params, signedBlocksWindow: 0n } }))).toThrow(ChainError);
    h.execute(ctx, MsgUpdateParams.fromPartial({ authority: gov, params }));
    expect(slashing.getParams(store)).toMatchObject({ signedBlocksWindow: 500n, downtimeJailDurationNanos: 60n * SEC });
  });

  it("legacy subspace: the SDK's keys with amino JSON values", () => {
    const { store, slashing, ctx } = env();
    const set = slashingParamSubspace(slashing);
    set(ctx, "SignedBlocksWindow", '"200"');
    set(ctx, "MinSignedPerWindow", '"0.25"');
    set(ctx, "DowntimeJailDuration", '"30000000000"');
    set(ctx, "SlashFractionDowntime", '"0.001"');
    set(ctx, "SlashFractionDoubleSign", '"0.1"');
    const p = slashing.getParams(store);
    expect([p.signedBlocksWindow, p.minSignedPerWindow.toString(), p.downtimeJailDurationNanos, p.slashFractionDowntime.toString(), p.slashFractionDoubleSign.toString()]).toEqual([
      200n,
      "0.250000000000000000",
      30n * SEC,
      "0.001000000000000000",
      "0.100000000000000000",
    ]);
    expect(() => set(ctx, "SlashFractionDowntime", '"1.5"')).toThrow(/too large/);
    expect(() => set(ctx, "Nope", '"1"')).toThrow(/not registered/);
  });
});
