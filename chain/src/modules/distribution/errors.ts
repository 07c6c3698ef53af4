// distribution module errors (codespace "distribution"), numbered as in the SDK's
// x/distribution/types/errors.go (v0.50). Never renumber.
import { registerError } from "../../errors/errors.js";

const cs = "distribution";
export const ErrEmptyDelegatorAddr = registerError(cs, 2, "delegator address is empty");
export const ErrEmptyWithdrawAddr = registerError(cs, 3, "withdraw address is empty");
export const ErrEmptyValidatorAddr = registerError(cs, 4, "validator address is empty");
export const ErrEmptyDelegationDistInfo = registerError(cs, 5, "no delegation distribution info");
export const ErrNoValidatorDistInfo = registerError(cs, 6, "no validator distribution info");
export const ErrNoValidatorCommission = registerError(cs, 7, "no validator commission to withdraw");
export const ErrSetWithdrawAddrDisabled = registerError(cs, 8, "set withdraw address disabled");
export const ErrBadDistribution = registerError(cs, 9, "community pool does not have sufficient coins to distribute");
export const ErrInvalidProposalAmount = registerError(cs, 10, "invalid community pool spend proposal amount");
export const ErrEmptyProposalRecipient = registerError(cs, 11, "invalid community pool spend proposal recipient");
export const ErrNoValidatorExists = registerError(cs, 12, "validator does not exist");
export const ErrNoDelegationExists = registerError(cs, 13, "delegation does not exist");
