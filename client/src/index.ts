// @soa/client: chain constants and ready CosmJS clients for the SOA chain.
export * from "./constants.js";
export * from "./units.js";
export {
  type ConnectOptions,
  type SigningConnection,
  NodeUnreachableError,
  connectAminoSigningClient,
  connectQueryClient,
  connectSigningClient,
  deriveAddress,
} from "./clients.js";
