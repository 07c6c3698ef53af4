// LEGACY_AMINO_JSON form of MsgUnjail. CosmJS's createSlashingAminoConverters() throws "Not implemented"
// and is not among its defaults; the SDK's amino JSON is {"type":"cosmos-sdk/MsgUnjail","value":{"address":<valoper>}}
// (json tag "address" since the first SDK releases). Wallets pass this to AminoTypes to sign it in amino mode.
import type { AminoConverters } from "@cosmjs/stargate";
import type { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";

export function slashingAminoConverters(): AminoConverters {
  return {
    "/cosmos.slashing.v1beta1.MsgUnjail": {
      aminoType: "cosmos-sdk/MsgUnjail",
      toAmino: (m: MsgUnjail) => ({ address: m.validatorAddr }),
      fromAmino: (a: { address: string }): MsgUnjail => ({ validatorAddr: a.address }),
    },
  };
}
