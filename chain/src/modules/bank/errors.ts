// bank module errors (codespace "bank"), numbered as in the SDK's x/bank/types/errors.go.
import { registerError } from "../../errors/errors.js";

const cs = "bank";
export const ErrNoInputs = registerError(cs, 2, "no inputs to send transaction");
export const ErrNoOutputs = registerError(cs, 3, "no outputs to send transaction");
export const ErrInputOutputMismatch = registerError(cs, 4, "sum inputs != sum outputs");
export const ErrSendDisabled = registerError(cs, 5, "send transactions are disabled");
export const ErrDenomMetadataNotFound = registerError(cs, 6, "client denom metadata not found");
export const ErrInvalidKey = registerError(cs, 7, "invalid key");
export const ErrDuplicateEntry = registerError(cs, 8, "duplicate entry");
export const ErrMultipleSenders = registerError(cs, 9, "multiple senders not allowed");
