// One-byte key prefixes of the whole state, one owner each. Retired numbers are never reused.
export const Prefix = {
  /** app: chain id and other consensus-wide values set at genesis. */
  App: 0x00,
  /** auth: account by address bytes → Any(BaseAccount | ModuleAccount). */
  AuthAccount: 0x01,
  /** auth: next global account number (uint64 BE). */
  AuthNextAccountNumber: 0x02,
  /** auth: params (cosmos.auth.v1beta1.Params). */
  AuthParams: 0x03,
  /** bank: balance by len(addr)|addr|denom → amount (decimal ASCII). */
  BankBalance: 0x10,
  /** bank: total supply by denom → amount (decimal ASCII). */
  BankSupply: 0x11,
  /** bank: denom metadata by base denom → cosmos.bank.v1beta1.Metadata. */
  BankDenomMetadata: 0x12,
  /** bank: params (cosmos.bank.v1beta1.Params, default_send_enabled only). */
  BankParams: 0x13,
  /** bank: send-enabled flag by denom → 0x00 | 0x01. */
  BankSendEnabled: 0x14,
  /** wasm: sequences "lastCodeId" / "lastContractId" → uint64 BE (the last id handed out). */
  WasmSequence: 0x20,
  /** wasm: code info by BE64(code id) → cosmwasm.wasm.v1.CodeInfo. */
  WasmCodeInfo: 0x21,
  /** wasm: original (uncompressed) wasm by checksum. */
  WasmCode: 0x22,
  /** wasm: instrumented module by checksum → BE32(len analysis) ‖ analysis JSON ‖ module bytes. */
  WasmPreparedCode: 0x23,
  /** wasm: contract info by contract address → cosmwasm.wasm.v1.ContractInfo. */
  WasmContractInfo: 0x24,
  /** wasm: contract storage by contract address (32 bytes) ‖ contract key → value. */
  WasmContractStore: 0x25,
  /** wasm: code history by contract address ‖ BE64(n) → ContractCodeHistoryEntry. */
  WasmContractHistory: 0x26,
  /** wasm: BE64(code id) ‖ BE64(instance seq) ‖ contract address → 0x01 (contracts by code, in creation order). */
  WasmContractsByCode: 0x27,
  /** wasm: len(creator) ‖ creator ‖ BE64(instance seq) ‖ contract address → 0x01. */
  WasmContractsByCreator: 0x28,
  /** wasm: params (cosmwasm.wasm.v1.Params). */
  WasmParams: 0x29,
  /** wasm: contract address → BE64(instance seq) (to find the by-code / by-creator index entries). */
  WasmContractSeq: 0x2a,
  /** mint: params (soa.mint.v1.Params). */
  MintParams: 0x30,
  /** mint: minter state (soa.mint.v1.Minter: inflation, annual provisions). */
  MintMinter: 0x31,
  /** staking: 0x01 → params (cosmos.staking.v1beta1.Params); 0x02 → last total power (decimal ASCII). */
  StakingGlobal: 0x40,
  /** staking: validator by operator address bytes → cosmos.staking.v1beta1.Validator. */
  StakingValidator: 0x41,
  /** staking: consensus address (sha256(ed25519 pubkey)[:20]) → operator address bytes. */
  StakingValidatorByConsAddr: 0x42,
  /** staking: BE64(consensus power) ‖ ~operator → operator (not jailed validators only). */
  StakingValidatorByPower: 0x43,
  /** staking: operator → BE64 power in the last validator set sent to CometBFT. */
  StakingLastValidatorPower: 0x44,
  /** staking: len|delegator|len|validator → cosmos.staking.v1beta1.Delegation. */
  StakingDelegation: 0x45,
  /** staking: len|validator|len|delegator → empty (delegations of a validator). */
  StakingDelegationByValidator: 0x46,
  /** staking: len|delegator|len|validator → cosmos.staking.v1beta1.UnbondingDelegation. */
  StakingUnbondingDelegation: 0x47,
  /** staking: len|validator|len|delegator → empty. */
  StakingUnbondingByValidator: 0x48,
  /** staking: len|delegator|len|src|len|dst → cosmos.staking.v1beta1.Redelegation. */
  StakingRedelegation: 0x49,
  /** staking: len|src|len|delegator|len|dst → empty. */
  StakingRedelegationBySrc: 0x4a,
  /** staking: len|dst|len|delegator|len|src → empty (the transitive-redelegation check). */
  StakingRedelegationByDst: 0x4b,
  /** staking: BE64(completion ns) ‖ len|delegator|len|validator → empty (unbonding queue). */
  StakingUnbondingQueue: 0x4c,
  /** staking: BE64(completion ns) ‖ len|delegator|len|src|len|dst → empty (redelegation queue). */
  StakingRedelegationQueue: 0x4d,
  /** staking: BE64(unbonding ns) ‖ BE64(unbonding height) ‖ len|operator → empty (unbonding validators). */
  StakingValidatorQueue: 0x4e,
  /** staking: BE64(height) → cosmos.staking.v1beta1.HistoricalInfo. */
  StakingHistoricalInfo: 0x4f,
  /** distribution: 0x01 → params (cosmos.distribution.v1beta1.Params); 0x02 → FeePool (community pool). */
  DistributionGlobal: 0x50,
  /** distribution: operator → ValidatorOutstandingRewards. */
  DistributionOutstandingRewards: 0x51,
  /** distribution: delegator address → withdraw address bytes (absent: the delegator itself). */
  DistributionWithdrawAddr: 0x52,
  /** distribution: len|operator|len|delegator → DelegatorStartingInfo. */
  DistributionDelegatorStartingInfo: 0x53,
  /** distribution: len|operator|BE64(period) → ValidatorHistoricalRewards (reference counted). */
  DistributionHistoricalRewards: 0x54,
  /** distribution: operator → ValidatorCurrentRewards. */
  DistributionCurrentRewards: 0x55,
  /** distribution: operator → ValidatorAccumulatedCommission. */
  DistributionCommission: 0x56,
  /** distribution: len|operator|BE64(height)|BE64(period) → ValidatorSlashEvent. */
  DistributionSlashEvent: 0x57,
  /** slashing: params (cosmos.slashing.v1beta1.Params). */
  SlashingParams: 0x60,
  /** slashing: len|consAddr → cosmos.slashing.v1beta1.ValidatorSigningInfo. */
  SlashingSigningInfo: 0x61,
  /** slashing: len|consAddr ‖ BE64(chunk) → 128-byte missed-blocks bitmap chunk (1024 window slots). */
  SlashingMissedBlocks: 0x62,
  /** evidence: sha256(Equivocation proto) → cosmos.evidence.v1beta1.Equivocation (handled evidence). */
  EvidenceByHash: 0x63,
  /** gov: params (cosmos.gov.v1.Params). */
  GovParams: 0x70,
  /** gov: the next proposal id (uint64 BE). */
  GovProposalId: 0x71,
  /** gov: BE64(proposal id) → cosmos.gov.v1.Proposal. */
  GovProposal: 0x72,
  /** gov: BE64(deposit end ns) ‖ BE64(id) → empty (proposals in the deposit period). */
  GovInactiveQueue: 0x73,
  /** gov: BE64(voting end ns) ‖ BE64(id) → empty (proposals in the voting period). */
  GovActiveQueue: 0x74,
  /** gov: BE64(id) ‖ len|depositor → cosmos.gov.v1.Deposit. */
  GovDeposit: 0x75,
  /** gov: BE64(id) ‖ len|voter → cosmos.gov.v1.Vote. */
  GovVote: 0x76,
} as const;

export function key(prefix: number, ...parts: Uint8Array[]): Buffer {
  return Buffer.concat([Buffer.from([prefix]), ...parts]);
}

/** Length-prefixed component so that composite keys cannot collide. */
export function lengthPrefixed(b: Uint8Array): Buffer {
  if (b.length > 255) throw new Error("key component longer than 255 bytes");
  return Buffer.concat([Buffer.from([b.length]), b]);
}
