// gov state keys (prefixes 0x70–0x7f, store/prefixes.ts).
import { key, lengthPrefixed, Prefix } from "../../store/prefixes.js";

export const be64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};

export const PARAMS_KEY = key(Prefix.GovParams);
export const NEXT_PROPOSAL_ID_KEY = key(Prefix.GovProposalId);
export const proposalKey = (id: bigint) => key(Prefix.GovProposal, be64(id));
export const PROPOSALS_PREFIX = Buffer.from([Prefix.GovProposal]);
export const inactiveQueueKey = (endNanos: bigint, id: bigint) => key(Prefix.GovInactiveQueue, be64(endNanos), be64(id));
export const INACTIVE_QUEUE_PREFIX = Buffer.from([Prefix.GovInactiveQueue]);
export const activeQueueKey = (endNanos: bigint, id: bigint) => key(Prefix.GovActiveQueue, be64(endNanos), be64(id));
export const ACTIVE_QUEUE_PREFIX = Buffer.from([Prefix.GovActiveQueue]);
export const depositKey = (id: bigint, depositor: Uint8Array) => key(Prefix.GovDeposit, be64(id), lengthPrefixed(depositor));
export const depositsPrefix = (id: bigint) => key(Prefix.GovDeposit, be64(id));
export const voteKey = (id: bigint, voter: Uint8Array) => key(Prefix.GovVote, be64(id), lengthPrefixed(voter));
export const votesPrefix = (id: bigint) => key(Prefix.GovVote, be64(id));
