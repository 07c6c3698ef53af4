// Legacy (v1beta1) proposal content: TextProposal (no effect) and the x/params
// ParameterChangeProposal (subspace / key / amino-JSON value), mapped onto the modules' param setters.
// Content runs through cosmos.gov.v1.MsgExecLegacyContent, as in the SDK.
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { ParameterChangeProposal } from "cosmjs-types/cosmos/params/v1beta1/params";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Context } from "../../app/context.js";
import { registerError } from "../../errors/errors.js";
import * as E from "./errors.js";

// x/params/types/proposal/errors.go (codespace "params").
export const ErrUnknownSubspace = registerError("params", 2, "unknown subspace");
export const ErrSettingParameter = registerError("params", 3, "failed to set parameter");
export const ErrEmptyChanges = registerError("params", 4, "submitted parameter changes are empty");
export const ErrEmptySubspace = registerError("params", 5, "parameter subspace is empty");
export const ErrEmptyKey = registerError("params", 6, "parameter key is empty");
export const ErrEmptyValue = registerError("params", 7, "parameter value is empty");

export const TEXT_PROPOSAL = "/cosmos.gov.v1beta1.TextProposal";
export const PARAMETER_CHANGE_PROPOSAL = "/cosmos.params.v1beta1.ParameterChangeProposal";

/** The SDK's v1beta1 content limits (x/gov/types/v1beta1/content.go). */
const MAX_DESCRIPTION_LENGTH = 10_000;
const MAX_TITLE_LENGTH = 140;

/**
 * Applies one legacy parameter change of a subspace: `key` is the SDK's param key ("MaxValidators",
 * "PosShare", "votingparams", ...), `value` its amino JSON. Throws an Error if unknown or invalid.
 */
export type ParamSubspace = (ctx: Context, key: string, value: string) => void;

export interface DecodedContent {
  typeUrl: string;
  title: string;
  description: string;
  changes?: { subspace: string; key: string; value: string }[];
}

export class LegacyContentRouter {
  private readonly subspaces = new Map<string, ParamSubspace>();

  addSubspace(name: string, s: ParamSubspace): void {
    if (this.subspaces.has(name)) throw new Error(`param subspace ${name} registered twice`);
    this.subspaces.set(name, s);
  }

  /** Decodes and validates content (Content.ValidateBasic); throws ErrInvalidProposalContent / params errors. */
  decode(content: Any | undefined): DecodedContent {
    if (!content) throw E.ErrInvalidProposalContent.wrap("missing content");
    let d: DecodedContent;
    try {
      if (content.typeUrl === TEXT_PROPOSAL) {
        const t = TextProposal.decode(content.value);
        d = { typeUrl: content.typeUrl, title: t.title, description: t.description };
      } else if (content.typeUrl === PARAMETER_CHANGE_PROPOSAL) {
        const p = ParameterChangeProposal.decode(content.value);
        d = { typeUrl: content.typeUrl, title: p.title, description: p.description, changes: p.changes };
      } else {
        throw E.ErrNoProposalHandlerExists.wrap(content.typeUrl);
      }
    } catch (e) {
      if (E.ErrNoProposalHandlerExists.is(e)) throw e;
      throw E.ErrInvalidProposalContent.wrap(`cannot decode ${content.typeUrl}: ${(e as Error).message}`);
    }
    if (d.title.trim() === "") throw E.ErrInvalidProposalContent.wrap("proposal title cannot be blank");
    if (d.title.length > MAX_TITLE_LENGTH) throw E.ErrInvalidProposalContent.wrap(`proposal title is longer than max length of ${MAX_TITLE_LENGTH}`);
    if (d.description.length === 0) throw E.ErrInvalidProposalContent.wrap("proposal description cannot be blank");
    if (d.description.length > MAX_DESCRIPTION_LENGTH) throw E.ErrInvalidProposalContent.wrap(`proposal description is longer than max length of ${MAX_DESCRIPTION_LENGTH}`);
    if (d.changes) {
      if (d.changes.length === 0) throw ErrEmptyChanges.err();
      for (const c of d.changes) {
        if (c.subspace === "") throw ErrEmptySubspace.err();
        if (c.key === "") throw ErrEmptyKey.err();
        if (c.value === "") throw ErrEmptyValue.err();
      }
    }
    return d;
  }

  /** Executes content (the legacy router: "gov" → text, no effect; "params" → param changes). */
  execute(ctx: Context, content: Any | undefined): void {
    const d = this.decode(content);
    for (const c of d.changes ?? []) {
      const ss = this.subspaces.get(c.subspace);
      if (!ss) throw ErrUnknownSubspace.wrap(c.subspace);
      try {
        ss(ctx, c.key, c.value);
      } catch (e) {
        throw ErrSettingParameter.wrap(`key: ${c.key}, value: ${c.value}, err: ${(e as Error).message}`);
      }
      ctx.events.emit("param_change", [
        ["param_subspace", c.subspace],
        ["param_key", c.key],
        ["param_value", c.value],
      ]);
    }
  }
}

// ---- helpers for subspaces: amino JSON values ---------------------------------------------------

export function jsonValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`value is not JSON: ${value}`);
  }
}

/** A LegacyDec in amino JSON: "0.5" (a quoted decimal). */
export function jsonDec(value: string): string {
  const v = jsonValue(value);
  if (typeof v !== "string" || !/^[0-9]+(\.[0-9]{1,18})?$/.test(v)) throw new Error(`expected a quoted non-negative decimal, got ${value}`);
  return v;
}

/** An integer in amino JSON: 100 or "100" (64-bit values are quoted). */
export function jsonUint(value: string): bigint {
  const v = jsonValue(value);
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^[0-9]{1,20}$/.test(v)) return BigInt(v);
  throw new Error(`expected a non-negative integer, got ${value}`);
}

export function jsonString(value: string): string {
  const v = jsonValue(value);
  if (typeof v !== "string") throw new Error(`expected a string, got ${value}`);
  return v;
}
