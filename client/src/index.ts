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
// Typed clients of the product contracts (generated from contracts-as/*/interface.mjs by `make schemas`).
export * from "./contracts/index.js";
// Deployments of the product contracts (`npm run deploy`, deployments/<chain-id>.json).
export {
  type ContractRecord,
  type Deployment,
  type DeployOptions,
  type DeployResult,
  type ProductContract,
  DeployError,
  LABELS,
  PRODUCT_CONTRACTS,
  deployContracts,
  deploymentFile,
  instantiateMsgs,
  loadDeployment,
} from "./deploy/deploy.js";
