// `soad tx staking create-validator`: how an operator joins a RUNNING network as a validator. The same
// MsgCreateValidator as a gentx (operator key from the keyring, consensus key from
// <home>/config/priv_validator_key.json), signed SIGN_MODE_DIRECT with the account's real number and
// sequence and broadcast through CometBFT's RPC with CosmJS's SigningStargateClient (gas simulated).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { encodeSecp256k1Signature } from "@cosmjs/amino";
import type { AccountData, DirectSignResponse, OfflineDirectSigner } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { Command } from "commander";
import { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { parse as parseToml } from "smol-toml";
import { DEFAULT_MIN_GAS_PRICES } from "../constants.js";
import { readValidatorPubkey } from "../keyring/consensusKeys.js";
import type { KeySigner } from "../keyring/keyring.js";
import { CREATE_VALIDATOR_TYPE_URL, DEFAULT_COMMISSION, createValidatorFromJson, createValidatorJson } from "../modules/genutil/gentx.js";
import { homePaths } from "../node/config.js";
import { parseCoins } from "../node/genesisFile.js";
import { type KeyringFlags, addKeyringOptions, openKeyring } from "./keys.js";

/** A keyring key as a CosmJS direct signer (the private key never leaves this process). */
export function directSigner(k: KeySigner): OfflineDirectSigner {
  const account: AccountData = { address: k.address, algo: "secp256k1", pubkey: k.pubkey };
  return {
    getAccounts: async () => [account],
    signDirect: async (address: string, signDoc: SignDoc): Promise<DirectSignResponse> => {
      if (address !== k.address) throw new Error(`key ${k.name} cannot sign for ${address}`);
      const sig = k.sign(SignDoc.encode(signDoc).finish());
      return { signed: signDoc, signature: encodeSecp256k1Signature(k.pubkey, sig) };
    },
  };
}

interface CreateValidatorFlags extends KeyringFlags {
  amount: string;
  from: string;
  node: string;
  chainId?: string;
  moniker?: string;
  commissionRate: string;
  commissionMaxRate: string;
  commissionMaxChangeRate: string;
  minSelfDelegation: string;
  details?: string;
  website?: string;
  identity?: string;
  securityContact?: string;
  gasPrices: string;
  gasAdjustment: string;
}

function configMoniker(home: string): string {
  try {
    const cfg = parseToml(readFileSync(homePaths(home).configToml, "utf8")) as Record<string, unknown>;
    return String(cfg["moniker"] ?? "");
  } catch {
    return "";
  }
}

export function txCommand(): Command {
  const tx = new Command("tx").description("sign and broadcast transactions with a keyring key (wallets: use CosmJS)");
  const staking = tx.command("staking").description("staking transactions");
  addKeyringOptions(
    staking
      .command("create-validator")
      .description(
        "become a validator of a running network: MsgCreateValidator self-delegating --amount from key --from, consensus key from " +
          "<home>/config/priv_validator_key.json; the key's account must hold the amount plus fees. Power counts from 2 blocks after inclusion.",
      )
      .requiredOption("--amount <coin>", 'self-delegation, e.g. "10000000usoa"')
      .requiredOption("--from <key-name>", "keyring key of the operator")
      .option("--node <url>", "CometBFT RPC of a synced node", "http://127.0.0.1:26657")
      .option("--chain-id <id>", "refuse unless the node is on this chain")
      .option("--moniker <name>", "validator name (default: moniker in config.toml)")
      .option("--commission-rate <dec>", "initial commission rate", DEFAULT_COMMISSION.rate)
      .option("--commission-max-rate <dec>", "maximum commission rate", DEFAULT_COMMISSION.maxRate)
      .option("--commission-max-change-rate <dec>", "maximum daily commission change", DEFAULT_COMMISSION.maxChangeRate)
      .option("--min-self-delegation <int>", "minimum self-delegation (usoa)", "1")
      .option("--details <text>", "validator details")
      .option("--website <url>", "validator website")
      .option("--identity <id>", "identity signature (e.g. Keybase)")
      .option("--security-contact <email>", "security contact")
      .option("--gas-prices <price>", "gas price (fee = simulated gas × adjustment × price)", DEFAULT_MIN_GAS_PRICES)
      .option("--gas-adjustment <x>", "multiplier on the simulated gas", "1.5"),
  ).action(async (opts: CreateValidatorFlags) => {
    const home = resolve(opts.home);
    const coins = parseCoins(opts.amount);
    if (coins.length !== 1) throw new Error(`--amount must be one coin, got ${opts.amount}`);
    const moniker = opts.moniker ?? configMoniker(home);
    if (moniker === "") throw new Error("no moniker: pass --moniker or set moniker in config.toml");
    const gasAdjustment = Number(opts.gasAdjustment);
    if (!Number.isFinite(gasAdjustment) || gasAdjustment < 1) throw new Error(`--gas-adjustment must be a number >= 1, got ${opts.gasAdjustment}`);
    const key = await openKeyring(opts).signer(opts.from);
    const consPubkey = readValidatorPubkey(homePaths(home).privValidatorKey);
    const msg = createValidatorFromJson(
      createValidatorJson(key.valoperAddress, consPubkey, {
        description: {
          moniker,
          ...(opts.identity !== undefined ? { identity: opts.identity } : {}),
          ...(opts.website !== undefined ? { website: opts.website } : {}),
          ...(opts.securityContact !== undefined ? { securityContact: opts.securityContact } : {}),
          ...(opts.details !== undefined ? { details: opts.details } : {}),
        },
        commissionRate: opts.commissionRate,
        commissionMaxRate: opts.commissionMaxRate,
        commissionMaxChangeRate: opts.commissionMaxChangeRate,
        minSelfDelegation: opts.minSelfDelegation,
        value: { denom: coins[0]!.denom, amount: coins[0]!.amount },
      }),
    );
    const client = await SigningStargateClient.connectWithSigner(opts.node, directSigner(key), { gasPrice: GasPrice.fromString(opts.gasPrices) });
    try {
      const chainId = await client.getChainId();
      if (opts.chainId !== undefined && opts.chainId !== chainId) throw new Error(`${opts.node} is on chain ${chainId}, not ${opts.chainId}`);
      if (!(await client.getAccount(key.address))) throw new Error(`account ${key.address} does not exist on ${chainId}: fund it first`);
      const res = await client.signAndBroadcast(key.address, [{ typeUrl: CREATE_VALIDATOR_TYPE_URL, value: msg }], gasAdjustment);
      if (res.code !== 0) throw new Error(`tx ${res.transactionHash} failed at height ${res.height}: code ${res.code}: ${res.rawLog ?? ""}`);
      process.stdout.write(
        JSON.stringify({ txhash: res.transactionHash, height: res.height, validator: key.valoperAddress, gas_used: res.gasUsed.toString() }) + "\n",
      );
    } finally {
      client.disconnect();
    }
  });
  return tx;
}
