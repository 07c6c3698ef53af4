// MsgUpdateParams of gov, mint, staking and wasm (authority = the gov account) and the legacy
// ParameterChangeProposal subspaces, through the handlers the app registers.
import { describe, expect, it } from "vitest";
import { MsgUpdateParams as GovMsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import { MsgUpdateParams as CosmosMintMsgUpdateParams } from "cosmjs-types/cosmos/mint/v1beta1/tx";
import { MsgUpdateParams as WasmMsgUpdateParams } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { AccessType } from "cosmjs-types/cosmwasm/wasm/v1/types";
import { EventManager, type Context } from "../../app/context.js";
import type { MsgHandler } from "../../app/msgRegistry.js";
import { ChainError } from "../../errors/errors.js";
import { GasMeter } from "../../gas/meter.js";
import { MsgUpdateParams as SoaMintMsgUpdateParams } from "../../gen/soa/mint/v1/tx.js";
import { BranchStore } from "../../store/branch.js";
import type { KVReader } from "../../store/types.js";
import { keyFromSeed } from "../../tx/build.js";
import { Dec } from "../../types/dec.js";
import { AuthKeeper } from "../auth/keeper.js";
import { BankKeeper } from "../bank/keeper.js";
import { MintKeeper } from "../mint/keeper.js";
import { defaultMintParams, paramsToProto as mintParamsToProto } from "../mint/params.js";
import { mintParamSubspace, mintUpdateParamsHandlers } from "../mint/updateParams.js";
import { StakingKeeper } from "../staking/keeper.js";
import { stakingParamSubspace } from "../staking/updateParams.js";
import { WasmKeeper } from "../wasm/keeper.js";
import { wasmUpdateParamsHandler } from "../wasm/updateParams.js";
import { govParamSubspace } from "./govSubspace.js";
import { GovKeeper } from "./keeper.js";
import { govMsgHandlers } from "./msgs.js";
import { defaultGovParams, govParamsToProto } from "./params.js";

const empty: KVReader = { get: () => undefined, iterate: () => [], iterateReverse: () => [] };
const SEC = 1_000_000_000n;

function env() {
  const store = new BranchStore(empty);
  const auth = new AuthKeeper();
  const bank = new BankKeeper(auth);
  const staking = new StakingKeeper(auth, bank);
  const mint = new MintKeeper(auth, bank, { bondedRatio: () => Dec.ZERO });
  const wasm = new WasmKeeper(auth, bank, { debug: () => {} });
  const gov = new GovKeeper(auth, bank, staking, () => undefined);
  const ctx: Context = { store, rawStore: store, gasMeter: new GasMeter(undefined), events: new EventManager(), chainId: "t", height: 1n, timeSeconds: 1n, timeNanos: SEC, mode: "deliver" };
  return { store, staking, mint, wasm, gov, ctx };
}

const code = (f: () => unknown) => {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof ChainError) return `${e.codespace}/${e.code}`;
    throw e;
  }
};
const run = <T>(h: MsgHandler<T>, ctx: Context, m: T) => () => {
  h.validateBasic(m);
  h.execute(ctx, m);
};

describe("MsgUpdateParams (authority = gov account)", () => {
  it("mint: soa.mint.v1 sets every param incl. pos_share; cosmos.mint.v1beta1 keeps pos_share; others are refused (gov 13)", () => {
    const { mint, gov, ctx, store } = env();
    const [soa, cosmos] = mintUpdateParamsHandlers(mint, gov.authority) as [MsgHandler<SoaMintMsgUpdateParams>, MsgHandler<CosmosMintMsgUpdateParams>];
    const p = mintParamsToProto({ ...defaultMintParams(), posShare: Dec.parse("0.6") });
    expect(code(run(soa, ctx, { authority: keyFromSeed("x").address, params: p }))).toBe("gov/13");
    expect(code(run(soa, ctx, { authority: gov.authority, params: { ...p, posShare: "2000000000000000000" } }))).toBe("sdk/18");
    expect(code(run(soa, ctx, { authority: gov.authority, params: p }))).toBe("ok");
    expect(mint.getParams(store).posShare.toString()).toBe("0.600000000000000000");
    const { posShare: _, ...six } = p;
    expect(code(run(cosmos, ctx, { authority: gov.authority, params: { ...six, inflationMax: "300000000000000000" } }))).toBe("ok");
    expect([mint.getParams(store).inflationMax.toString(), mint.getParams(store).posShare.toString()]).toEqual(["0.300000000000000000", "0.600000000000000000"]);
  });

  it("wasm and gov: authority checked, params validated", () => {
    const { wasm, gov, ctx, store } = env();
    const w = wasmUpdateParamsHandler(wasm, gov.authority);
    const nobody = { codeUploadAccess: { permission: AccessType.ACCESS_TYPE_NOBODY, addresses: [] }, instantiateDefaultPermission: AccessType.ACCESS_TYPE_EVERYBODY };
    expect(code(run(w, ctx, WasmMsgUpdateParams.fromPartial({ authority: keyFromSeed("x").address, params: nobody })))).toBe("gov/13");
    expect(code(run(w, ctx, WasmMsgUpdateParams.fromPartial({ authority: gov.authority, params: nobody })))).toBe("ok");
    expect(wasm.getParams(store).codeUploadAccess?.permission).toBe(AccessType.ACCESS_TYPE_NOBODY);
    const g = govMsgHandlers(gov).find((h) => h.typeUrl === GovMsgUpdateParams.typeUrl)! as MsgHandler<GovMsgUpdateParams>;
    const params = govParamsToProto({ ...defaultGovParams(), quorum: Dec.parse("0.4") });
    expect(code(run(g, ctx, { authority: gov.authority, params: { ...params, threshold: "0" } }))).toBe("sdk/18");
    expect(code(run(g, ctx, { authority: gov.authority, params }))).toBe("ok");
    expect(gov.getParams(store).quorum.toString()).toBe("0.400000000000000000");
  });
});

describe("legacy ParameterChangeProposal subspaces (amino JSON values)", () => {
  it("mint, staking and gov keys; unknown keys and invalid values throw", () => {
    const { staking, mint, gov, ctx, store } = env();
    const m = mintParamSubspace(mint);
    m(ctx, "PosShare", '"0.25"');
    m(ctx, "BlocksPerYear", '"6311520"');
    expect([mint.getParams(store).posShare.toString(), mint.getParams(store).blocksPerYear]).toEqual(["0.250000000000000000", 6311520n]);
    expect(() => m(ctx, "PosShare", '"1.5"')).toThrow(/pos_share must be at most 1/);
    expect(() => m(ctx, "Nope", '"1"')).toThrow(/parameter Nope not registered/);
    const s = stakingParamSubspace(staking);
    s(ctx, "MaxValidators", "42");
    s(ctx, "UnbondingTime", '"60000000000"');
    s(ctx, "MinCommissionRate", '"0.05"');
    const sp = staking.getParams(store);
    expect([sp.maxValidators, sp.unbondingTimeNanos, sp.minCommissionRate.toString()]).toEqual([42, 60n * SEC, "0.050000000000000000"]);
    expect(() => s(ctx, "MaxValidators", "0")).toThrow(/max_validators/);
    const g = govParamSubspace(gov);
    g(ctx, "votingparams", '{"voting_period":"259200000000000"}'); // 3 days (must exceed the expedited 1 day)
    expect(() => g(ctx, "votingparams", '{"voting_period":"3600000000000"}')).toThrow(/expedited_voting_period/);
    g(ctx, "tallyparams", '{"quorum":"0.5"}');
    g(ctx, "depositparams", '{"min_deposit":[{"denom":"usoa","amount":"5"}]}');
    const gp = gov.getParams(store);
    expect([gp.votingPeriodNanos, gp.quorum.toString(), gp.threshold.toString(), gp.minDeposit]).toEqual([259_200n * SEC, "0.500000000000000000", "0.500000000000000000", [{ denom: "usoa", amount: 5n }]]);
    expect(() => g(ctx, "tallyparams", '{"threshold":"0"}')).toThrow(/threshold/);
  });
});
