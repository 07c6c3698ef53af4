// The app_state section of genesis.json, delivered verbatim in InitChain.app_state_bytes.
// Shape follows the Cosmos SDK's auth and bank genesis JSON (numbers as strings).
import { BOND_DENOM, DENOM_EXPONENT, DISPLAY_DENOM } from "../constants.js";
import { defaultMintGenesis, type MintGenesis } from "../modules/mint/params.js";
import type { GovGenesis } from "../modules/gov/params.js";
import type { StakingGenesis } from "../modules/staking/genesis.js";
import type { SlashingGenesis } from "../modules/slashing/genesis.js";
import type { DistributionGenesis } from "../modules/distribution/genesis.js";
import type { GenutilGenesis } from "../modules/genutil/collect.js";

export interface GenesisCoin {
  denom: string;
  amount: string;
}

export interface GenesisAccount {
  "@type": "/cosmos.auth.v1beta1.BaseAccount";
  address: string;
  account_number: string;
  sequence: string;
  pub_key: null;
}

export interface AuthGenesis {
  params: {
    max_memo_characters: string;
    tx_sig_limit: string;
    tx_size_cost_per_byte: string;
    sig_verify_cost_ed25519: string;
    sig_verify_cost_secp256k1: string;
  };
  accounts: GenesisAccount[];
}

export interface DenomUnitJson {
  denom: string;
  exponent: number;
  aliases: string[];
}

export interface DenomMetadataJson {
  description: string;
  denom_units: DenomUnitJson[];
  base: string;
  display: string;
  name: string;
  symbol: string;
  uri: string;
  uri_hash: string;
}

export interface BankGenesis {
  params: { send_enabled: { denom: string; enabled: boolean }[]; default_send_enabled: boolean };
  balances: { address: string; coins: GenesisCoin[] }[];
  /** Informational: InitChain recomputes the supply from balances and rejects a mismatch. */
  supply: GenesisCoin[];
  denom_metadata: DenomMetadataJson[];
  send_enabled: { denom: string; enabled: boolean }[];
}

/** wasmd's AccessConfig JSON: "Everybody" | "Nobody" | "AnyOfAddresses" (+ addresses). */
export interface AccessConfigJson {
  permission: "Everybody" | "Nobody" | "AnyOfAddresses";
  addresses?: string[];
}

export interface WasmGenesis {
  params: {
    code_upload_access: AccessConfigJson;
    instantiate_default_permission: AccessConfigJson["permission"];
  };
}

export interface AppGenesis {
  auth: AuthGenesis;
  bank: BankGenesis;
  /** Optional: absent means anyone may upload and instantiate (wasmd's defaults). */
  wasm?: WasmGenesis;
  /** Optional: absent means the default schedule (modules/mint/README.md); minting is always on. */
  mint?: MintGenesis;
  /**
   * Optional, SDK JSON shape. Absent: default params, no validators, CometBFT's genesis.json
   * validators are used. With validators: InitChain returns the staking set (modules/staking/README.md).
   */
  staking?: StakingGenesis;
  /** Optional, SDK JSON shape: params, signing_infos, missed_blocks (modules/slashing/README.md). */
  slashing?: SlashingGenesis;
  /**
   * Optional: gentxs (`soad genesis collect-gentxs`), SDK shape. InitChain runs them through the tx
   * path after every module's genesis, then returns the staking set (modules/genutil/README.md).
   */
  genutil?: GenutilGenesis;
  /** Optional, SDK JSON shape: params, fee_pool.community_pool, delegator_withdraw_infos (modules/distribution/README.md). */
  distribution?: DistributionGenesis;
  /** Optional: gov params and starting proposal id, SDK JSON shape (modules/gov/README.md). */
  gov?: GovGenesis;
}

export function defaultAppGenesis(): AppGenesis {
  return {
    auth: {
      params: {
        max_memo_characters: "256",
        tx_sig_limit: "7",
        tx_size_cost_per_byte: "10",
        sig_verify_cost_ed25519: "590",
        sig_verify_cost_secp256k1: "1000",
      },
      accounts: [],
    },
    bank: {
      params: { send_enabled: [], default_send_enabled: true },
      balances: [],
      supply: [],
      denom_metadata: [
        {
          description: "The native staking and fee token of the SOA chain",
          denom_units: [
            { denom: BOND_DENOM, exponent: 0, aliases: ["microsoa"] },
            { denom: "soa", exponent: DENOM_EXPONENT, aliases: [] },
          ],
          base: BOND_DENOM,
          display: "soa",
          name: "SOA",
          symbol: DISPLAY_DENOM,
          uri: "",
          uri_hash: "",
        },
      ],
      send_enabled: [],
    },
    wasm: { params: { code_upload_access: { permission: "Everybody", addresses: [] }, instantiate_default_permission: "Everybody" } },
    mint: defaultMintGenesis(),
  };
}
