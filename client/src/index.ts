// @soa/client: chain constants and ready CosmJS clients for the SOA chain.
export * from "./constants.js";
export * from "./units.js";
export {
  type ConnectOptions,
  type SigningConnection,
  NodeUnreachableError,
  type CosmWasmConnection,
  connectAminoSigningClient,
  connectCosmWasmClient,
  connectCosmWasmQueryClient,
  connectQueryClient,
  connectSigningClient,
  deriveAddress,
} from "./clients.js";
