// wasm module errors (codespace "wasm"), numbered as in wasmd's x/wasm/types/errors.go.
import { registerError } from "../../errors/errors.js";

const cs = "wasm";
export const ErrCreateFailed = registerError(cs, 2, "create wasm contract failed");
export const ErrAccountExists = registerError(cs, 3, "contract account already exists");
export const ErrInstantiateFailed = registerError(cs, 4, "instantiate wasm contract failed");
export const ErrExecuteFailed = registerError(cs, 5, "execute wasm contract failed");
export const ErrGasLimit = registerError(cs, 6, "insufficient gas");
export const ErrInvalidGenesis = registerError(cs, 7, "invalid genesis");
export const ErrNotFound = registerError(cs, 8, "not found");
export const ErrQueryFailed = registerError(cs, 9, "query wasm contract failed");
export const ErrInvalidMsg = registerError(cs, 10, "invalid CosmosMsg from the contract");
export const ErrMigrationFailed = registerError(cs, 11, "migrate wasm contract failed");
export const ErrEmpty = registerError(cs, 12, "empty");
export const ErrLimit = registerError(cs, 13, "exceeds limit");
export const ErrInvalid = registerError(cs, 14, "invalid");
export const ErrDuplicate = registerError(cs, 15, "duplicate");
export const ErrUnsupportedForContract = registerError(cs, 17, "unsupported for this contract");
export const ErrUnknownMsg = registerError(cs, 20, "unknown message from the contract");
export const ErrInvalidEvent = registerError(cs, 21, "invalid event");
export const ErrNoSuchContract = registerError(cs, 22, "no such contract");
export const ErrExceedMaxQueryStackSize = registerError(cs, 27, "max query stack size exceeded");
export const ErrNoSuchCode = registerError(cs, 28, "no such code");
export const ErrVmError = registerError(cs, 29, "wasmvm error");
