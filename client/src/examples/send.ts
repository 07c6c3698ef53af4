// Sends usoa from the localnet dev account to another address and prints what happened.
//
//   make localnet                      # in another terminal
//   npm run build --workspace client
//   npm run example:send --workspace client [-- <recipient soa1…> [amount usoa] [rpc]]
//
// Defaults: recipient = dev mnemonic at HD index 1, amount 1000000 usoa (1 SOA), rpc = DEFAULT_RPC.
// The dev mnemonic is public and funded on localnets only.
import { assertIsDeliverTxSuccess } from "@cosmjs/stargate";
import { DEFAULT_RPC, DENOM, NodeUnreachableError, connectSigningClient, deriveAddress, fromBaseUnits } from "../index.js";

async function main(): Promise<void> {
  const [recipientArg, amountArg, rpcArg] = process.argv.slice(2);
  const rpc = rpcArg ?? process.env.SOA_RPC ?? DEFAULT_RPC;
  const amount = amountArg ?? "1000000";
  if (!/^\d+$/.test(amount) || BigInt(amount) === 0n) throw new Error(`amount must be a positive integer of usoa, got ${amount}`);
  const recipient = recipientArg ?? (await deriveAddress(undefined, 1));

  const { client, address } = await connectSigningClient({ rpc });
  try {
    console.log(`chain ${await client.getChainId()} at height ${await client.getHeight()} (${rpc})`);
    const show = async (label: string) => {
      for (const [who, addr] of [["sender", address], ["recipient", recipient]] as const) {
        const b = await client.getBalance(addr, DENOM);
        console.log(`${label} ${who.padEnd(9)} ${addr}: ${b.amount} ${DENOM} (${fromBaseUnits(b.amount)} SOA)`);
      }
    };
    await show("before");
    const result = await client.sendTokens(address, recipient, [{ denom: DENOM, amount }], "auto", "sent by @soa/client example");
    assertIsDeliverTxSuccess(result);
    const fee = result.events
      .find((e) => e.type === "tx" && e.attributes.some((a) => a.key === "fee"))
      ?.attributes.find((a) => a.key === "fee")?.value;
    console.log(`tx ${result.transactionHash} committed at height ${result.height} (gas ${result.gasUsed}/${result.gasWanted}, fee ${fee ?? "?"})`);
    await show("after ");
  } finally {
    client.disconnect();
  }
}

main().catch((e: unknown) => {
  if (e instanceof NodeUnreachableError) {
    console.error(`error: ${e.message}`);
  } else {
    console.error(e instanceof Error ? `error: ${e.message}` : e);
  }
  process.exitCode = 1;
});
