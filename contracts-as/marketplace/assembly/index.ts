// marketplace entry points; the logic is in contract.ts, the storage layout in state.ts.
import { doExecute, doInstantiate, doMigrate, doQuery } from "../../sdk";
import { handleExecute, handleInstantiate, handleMigrate, handleQuery } from "./contract";
export * from "../../sdk/exports";
export { requires_iterator } from "../../sdk/iter";

export function instantiate(env: u32, info: u32, msg: u32): u32 {
  return doInstantiate(env, info, msg, handleInstantiate);
}

export function execute(env: u32, info: u32, msg: u32): u32 {
  return doExecute(env, info, msg, handleExecute);
}

export function query(env: u32, msg: u32): u32 {
  return doQuery(env, msg, handleQuery);
}

export function migrate(env: u32, msg: u32): u32 {
  return doMigrate(env, msg, handleMigrate);
}
