// `soad tendermint …` (aliases `comet`, `cometbft`): CometBFT identities of this node, read from the
// key files `soad init` created, printed the way the Cosmos SDK prints them.
import { Command } from "commander";
import { homePaths } from "../node/config.js";
import { ed25519PubkeyJson, nodeIdFromPubkey, readNodeKeyPubkey, readValidatorPubkey, valconsAddress } from "../keyring/consensusKeys.js";
import { HOME_FLAGS, HOME_HELP, defaultHome } from "./util.js";

export function tendermintCommand(): Command {
  const cmd = new Command("tendermint")
    .aliases(["comet", "cometbft"])
    .description("show this node's CometBFT identities (validator consensus key, p2p node id, consensus address)");
  cmd.addCommand(
    new Command("show-validator")
      .description('print the consensus public key of config/priv_validator_key.json as {"@type":"/cosmos.crypto.ed25519.PubKey","key":"<base64>"}')
      .option(HOME_FLAGS, HOME_HELP, defaultHome())
      .action((opts: { home: string }) => {
        const pub = readValidatorPubkey(homePaths(opts.home).privValidatorKey);
        process.stdout.write(JSON.stringify(ed25519PubkeyJson(pub)) + "\n");
      }),
  );
  cmd.addCommand(
    new Command("show-node-id")
      .description("print the p2p node id of config/node_key.json (hex of the first 20 bytes of sha256 of its ed25519 public key)")
      .option(HOME_FLAGS, HOME_HELP, defaultHome())
      .action((opts: { home: string }) => {
        process.stdout.write(nodeIdFromPubkey(readNodeKeyPubkey(homePaths(opts.home).nodeKey)) + "\n");
      }),
  );
  cmd.addCommand(
    new Command("show-address")
      .description("print the validator's consensus address (soavalcons1…: first 20 bytes of sha256 of the consensus public key)")
      .option(HOME_FLAGS, HOME_HELP, defaultHome())
      .action((opts: { home: string }) => {
        process.stdout.write(valconsAddress(readValidatorPubkey(homePaths(opts.home).privValidatorKey)) + "\n");
      }),
  );
  return cmd;
}
