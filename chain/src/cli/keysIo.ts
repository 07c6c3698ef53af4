// Terminal input for `soad keys`: hidden prompts, confirmations and piped stdin. Kept in one object
// so tests can replace its methods (vi.spyOn(keysIo, "readStdin")) while running the real CLI.
import { createInterface } from "node:readline";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Typed-ahead input that arrived after the end of the previous hidden line (paste of several lines). */
let pending = "";

/**
 * Consumes `chars` into `line` until a line end. Returns the rest after the line end, or undefined
 * if the line is not complete yet. A "\n" right after "\r" (CRLF paste) belongs to the same line end.
 */
function takeLine(chars: string, state: { line: string; cr: boolean }): string | undefined {
  const arr = [...chars];
  for (let i = 0; i < arr.length; i++) {
    const ch = arr[i]!;
    if (state.cr && ch === "\n") {
      state.cr = false;
      continue;
    }
    state.cr = false;
    if (ch === "\r" || ch === "\n" || ch === "\u0004") {
      let rest = arr.slice(i + 1).join("");
      if (ch === "\r" && rest.startsWith("\n")) rest = rest.slice(1);
      return rest;
    }
    if (ch === "\u0003") throw new Error("aborted");
    if (ch === "\u007f" || ch === "\b") state.line = [...state.line].slice(0, -1).join("");
    else state.line += ch;
  }
  return undefined;
}

/** Reads one line from the terminal without echoing it (passwords, mnemonics). Prompt goes to stderr. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new Error("cannot prompt: stdin is not a terminal"));
  const state = { line: "", cr: false };
  const early = takeLine(pending, state);
  if (early !== undefined) {
    pending = early;
    process.stderr.write(question + "\n");
    return Promise.resolve(state.line);
  }
  pending = "";
  return new Promise((resolve, reject) => {
    const wasRaw = stdin.isRaw;
    const finish = (err: Error | undefined): void => {
      stdin.removeListener("data", onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(state.line);
    };
    const onData = (chunk: Buffer | string): void => {
      try {
        const rest = takeLine(typeof chunk === "string" ? chunk : chunk.toString("utf8"), state);
        if (rest === undefined) return;
        pending = rest;
        finish(undefined);
      } catch (e) {
        finish(e as Error);
      }
    };
    stdin.setRawMode(true); // before the prompt appears, so nothing typed after it is echoed
    process.stderr.write(question);
    stdin.resume();
    stdin.on("data", onData);
  });
}

/** Asks a yes/no question on the terminal; only "y" or "yes" is yes. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N]: `, resolve));
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export const keysIo = {
  stdinIsTTY: (): boolean => process.stdin.isTTY === true,
  readStdin,
  promptHidden,
  confirm,
};
