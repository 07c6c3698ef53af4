// The SOA CosmWasm SDK for AssemblyScript. Contracts import from here and additionally re-export the
// mandatory exports with `export * from "../../sdk/exports";`.
import "./abort"; // the build aliases AS's abort to sdk/abort/cwAbort; make sure it is compiled in

export { panic } from "./abort";
export * from "./json";
export * from "./fields";
export * from "./math";
export * from "./encoding";
export * from "./types";
export * from "./storage";
export { KV, Iter, Order, scan, prefixRange, prefixKeys, prefixEnd, keySuccessor, splitKey, pageLimit, concatBytes } from "./iter";
export * from "./querier";
export * from "./api";
export * from "./entry";
export { REGION_SIZE, allocRegion, regionFromBytes, regionFromString, borrowRegion, readRegion, readRegionString } from "./memory";
