// model-nft entry points: a cw721 v0.18 collection of AI model versions (see contract.ts and
// contracts-as/model-nft/README.md).
import { doExecute, doInstantiate, doQuery } from "../../sdk";
import { executeHandler, instantiateHandler, queryHandler } from "./contract";
export * from "../../sdk/exports";
export { requires_iterator } from "../../sdk/iter";

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return doInstantiate(env, info, msg, instantiateHandler);
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  return doExecute(env, info, msg, executeHandler);
}

export function query(env: u32, msg: u32): u32 {
  return doQuery(env, msg, queryHandler);
}
