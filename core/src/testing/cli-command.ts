// A plugin's CLI command run on a test gateway, as `gatehouse <name> ...` would run it, with its
// output kept as text.
import { Writable } from 'node:stream';
import type { TestGateway } from './test-gateway.js';

export interface CliRun {
  readonly code: number | void;
  readonly out: string;
  readonly err: string;
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Runs the command `name` a plugin registered on `gw`; throws if no plugin registered it. */
export async function runCliCommand(gw: TestGateway, name: string, argv: readonly string[]): Promise<CliRun> {
  const found = gw.gateway.cliCommands.find((c) => c.command.name === name);
  if (!found) throw new Error(`no plugin on this gateway registers the command "${name}"`);
  const out = capture();
  const err = capture();
  const code = await found.command.run([...argv], { stdout: out.stream, stderr: err.stream, stdin: process.stdin });
  return { code, out: out.text(), err: err.text() };
}
