// gov module errors (codespace "gov"), numbered as in the SDK v0.50's x/gov/types/errors.go.
import { registerError } from "../../errors/errors.js";

const cs = "gov";
export const ErrUnknownProposal = registerError(cs, 2, "unknown proposal");
export const ErrInactiveProposal = registerError(cs, 3, "inactive proposal");
export const ErrAlreadyActiveProposal = registerError(cs, 4, "proposal already active");
/** Legacy (v1beta1) content errors. */
export const ErrInvalidProposalContent = registerError(cs, 5, "invalid proposal content");
export const ErrInvalidProposalType = registerError(cs, 6, "invalid proposal type");
export const ErrInvalidVote = registerError(cs, 7, "invalid vote option");
export const ErrInvalidGenesis = registerError(cs, 8, "invalid genesis state");
export const ErrNoProposalHandlerExists = registerError(cs, 9, "no handler exists for proposal type");
export const ErrUnroutableProposalMsg = registerError(cs, 10, "proposal message not recognized by router");
export const ErrNoProposalMsgs = registerError(cs, 11, "no messages proposed");
export const ErrInvalidProposalMsg = registerError(cs, 12, "invalid proposal message");
export const ErrInvalidSigner = registerError(cs, 13, "expected gov account as only signer for proposal message");
export const ErrMetadataTooLong = registerError(cs, 15, "metadata too long");
export const ErrMinDepositTooSmall = registerError(cs, 16, "minimum deposit is too small");
export const ErrInvalidProposer = registerError(cs, 18, "invalid proposer");
export const ErrVotingPeriodEnded = registerError(cs, 20, "voting period already ended");
export const ErrInvalidProposal = registerError(cs, 21, "invalid proposal");
export const ErrSummaryTooLong = registerError(cs, 22, "summary too long");
export const ErrInvalidDepositDenom = registerError(cs, 23, "invalid deposit denom");
