// Message types the chain accepts, registered by modules. Each entry knows how to decode its
// protobuf bytes, who must sign it, its stateless checks and how to execute it.
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Context } from "./context.js";

export interface MsgHandler<T = unknown> {
  typeUrl: string;
  /** Module name, used for the `message.module` event attribute. */
  module: string;
  decode(bytes: Uint8Array): T;
  /** Canonical protobuf encoding: decoding then encoding must give back the bytes signed. */
  encode(msg: T): Uint8Array;
  /** Bech32 addresses that must sign (the SDK's GetSigners). */
  signers(msg: T): string[];
  /** Stateless checks; throws a ChainError. */
  validateBasic(msg: T): void;
  /** Executes on a branch; returns the Msg response (packed as Any in TxMsgData). */
  execute(ctx: Context, msg: T): Any;
}

export class MsgRegistry {
  private readonly handlers = new Map<string, MsgHandler<unknown>>();

  register<T>(h: MsgHandler<T>): void {
    if (this.handlers.has(h.typeUrl)) throw new Error(`message ${h.typeUrl} registered twice`);
    this.handlers.set(h.typeUrl, h as MsgHandler<unknown>);
  }

  get(typeUrl: string): MsgHandler<unknown> | undefined {
    return this.handlers.get(typeUrl);
  }
}
