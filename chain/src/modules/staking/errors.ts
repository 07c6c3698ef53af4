// staking module errors (codespace "staking"), numbered as in the SDK's x/staking/types/errors.go
// (v0.50; codes 2–42 are identical in every SDK release since). Never renumber.
import { registerError } from "../../errors/errors.js";

const cs = "staking";
export const ErrEmptyValidatorAddr = registerError(cs, 2, "empty validator address");
export const ErrNoValidatorFound = registerError(cs, 3, "validator does not exist");
export const ErrValidatorOwnerExists = registerError(cs, 4, "validator already exist for this operator address; must use new validator operator address");
export const ErrValidatorPubKeyExists = registerError(cs, 5, "validator already exist for this pubkey; must use new validator pubkey");
export const ErrValidatorPubKeyTypeNotSupported = registerError(cs, 6, "validator pubkey type is not supported");
export const ErrValidatorJailed = registerError(cs, 7, "validator for this address is currently jailed");
export const ErrBadRemoveValidator = registerError(cs, 8, "failed to remove validator");
export const ErrCommissionNegative = registerError(cs, 9, "commission must be positive");
export const ErrCommissionHuge = registerError(cs, 10, "commission cannot be more than 100%");
export const ErrCommissionGTMaxRate = registerError(cs, 11, "commission cannot be more than the max rate");
export const ErrCommissionUpdateTime = registerError(cs, 12, "commission cannot be changed more than once in 24h");
export const ErrCommissionChangeRateNegative = registerError(cs, 13, "commission change rate must be positive");
export const ErrCommissionChangeRateGTMaxRate = registerError(cs, 14, "commission change rate cannot be more than the max rate");
export const ErrCommissionGTMaxChangeRate = registerError(cs, 15, "commission cannot be changed more than max change rate");
export const ErrSelfDelegationBelowMinimum = registerError(cs, 16, "validator's self delegation must be greater than their minimum self delegation");
export const ErrMinSelfDelegationDecreased = registerError(cs, 17, "minimum self delegation cannot be decrease");
export const ErrEmptyDelegatorAddr = registerError(cs, 18, "empty delegator address");
export const ErrNoDelegation = registerError(cs, 19, "no delegation for (address, validator) tuple");
export const ErrBadDelegatorAddr = registerError(cs, 20, "delegator does not exist with address");
export const ErrNoDelegatorForAddress = registerError(cs, 21, "delegator does not contain delegation");
export const ErrInsufficientShares = registerError(cs, 22, "insufficient delegation shares");
export const ErrDelegationValidatorEmpty = registerError(cs, 23, "cannot delegate to an empty validator");
export const ErrNotEnoughDelegationShares = registerError(cs, 24, "not enough delegation shares");
export const ErrNotMature = registerError(cs, 25, "entry not mature");
export const ErrNoUnbondingDelegation = registerError(cs, 26, "no unbonding delegation found");
export const ErrMaxUnbondingDelegationEntries = registerError(cs, 27, "too many unbonding delegation entries for (delegator, validator) tuple");
export const ErrNoRedelegation = registerError(cs, 28, "no redelegation found");
export const ErrSelfRedelegation = registerError(cs, 29, "cannot redelegate to the same validator");
export const ErrTinyRedelegationAmount = registerError(cs, 30, "too few tokens to redelegate (truncates to zero tokens)");
export const ErrBadRedelegationDst = registerError(cs, 31, "redelegation destination validator not found");
export const ErrTransitiveRedelegation = registerError(
  cs,
  32,
  "redelegation to this validator already in progress; first redelegation to this validator must complete before next redelegation",
);
export const ErrMaxRedelegationEntries = registerError(cs, 33, "too many redelegation entries for (delegator, src-validator, dst-validator) tuple");
export const ErrDelegatorShareExRateInvalid = registerError(cs, 34, "cannot delegate to validators with invalid (zero) ex-rate");
export const ErrBothShareMsgsGiven = registerError(cs, 35, "both shares amount and shares percent provided");
export const ErrNeitherShareMsgsGiven = registerError(cs, 36, "neither shares amount nor shares percent provided");
export const ErrInvalidHistoricalInfo = registerError(cs, 37, "invalid historical info");
export const ErrNoHistoricalInfo = registerError(cs, 38, "no historical info found");
export const ErrEmptyValidatorPubKey = registerError(cs, 39, "empty validator public key");
export const ErrCommissionLTMinRate = registerError(cs, 40, "commission cannot be less than min rate");
export const ErrUnbondingNotFound = registerError(cs, 41, "unbonding operation not found");
export const ErrUnbondingOnHoldRefCountNegative = registerError(cs, 42, "cannot un-hold unbonding operation that is not on hold");
