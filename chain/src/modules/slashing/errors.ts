// slashing module errors (codespace "slashing"), numbered as in the SDK's x/slashing/types/errors.go
// (v0.50). Never renumber.
import { registerError } from "../../errors/errors.js";

const cs = "slashing";
export const ErrNoValidatorForAddress = registerError(cs, 2, "address is not associated with any known validator");
export const ErrBadValidatorAddr = registerError(cs, 3, "validator does not exist for that address");
export const ErrValidatorJailed = registerError(cs, 4, "validator still jailed; cannot be unjailed");
export const ErrValidatorNotJailed = registerError(cs, 5, "validator not jailed; cannot be unjailed");
export const ErrMissingSelfDelegation = registerError(cs, 6, "validator has no self-delegation; cannot be unjailed");
export const ErrSelfDelegationTooLowToUnjail = registerError(cs, 7, "validator's self delegation less than minimum; cannot be unjailed");
export const ErrNoSigningInfoFound = registerError(cs, 8, "no validator signing info found");
export const ErrValidatorTombstoned = registerError(cs, 9, "validator already tombstoned");
