// Run by hidden-classes.test.ts under `node --allow-natives-syntax`: the objects core makes on
// every request must share one hidden class (V8 map) and keep fast properties. An object made
// by `{ ...a, key }` or a literal with `get x() {}` gets a map of its own per object in Node 20's
// V8: garbage that only a full collection frees, which keeps what it points to alive through
// every scavenge (README, Performance, Hidden classes). Prints one JSON line of findings.
import { Writable } from 'node:stream';
import { Gateway } from '../src/gateway.js';
import { coreCallContext } from '../src/call-context.js';
import { Cancellation } from '../src/cancellation.js';
import { baseHeaders } from '../src/http/reply.js';
import { copyOwn } from '../src/util/copy.js';
import type { Context } from '../src/context.js';

declare function haveSameMap(a: unknown, b: unknown): boolean;
declare function hasFast(a: unknown): boolean;
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as typeof haveSameMap;
const fast = new Function('a', 'return %HasFastProperties(a)') as typeof hasFast;

/** Make many (so that the code is optimised, where the per-object maps appear), compare the last two. */
function check(make: (i: number) => object): { sameMap: boolean; fast: boolean } {
  let previous: object | undefined;
  let last: object | undefined;
  for (let i = 0; i < 5000; i++) {
    previous = last;
    last = make(i);
  }
  return { sameMap: sameMap(previous, last), fast: fast(last) };
}

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
const gateway = await Gateway.create({ config: { endpoints: [] }, discover: false, logStream: silent });
const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };
const contexts = check((i) => gateway.createContext({ surface: 'openai', requested: 'chat', headers, request: { model: 'chat', n: i } as never, stream: false, expectedType: 'llm/v1/chat' }));
const ctx = gateway.createContext({ surface: 'openai', requested: 'chat', headers, request: { model: 'chat' } as never, stream: false });
ctx.responseHeaders['x-ratelimit-limit-requests'] = '10';
const calls = check((i) => coreCallContext(ctx, new Cancellation(), { timeoutMs: i }));
const replyHeaders = check((i) => baseHeaders(ctx as Context, i));
// The provider's copy of a client's body, with the model set on it (pipeline.ts).
const body = JSON.parse('{"model":"chat","messages":[{"role":"user","content":"hi"}],"temperature":0.2}') as Record<string, unknown>;
const requestCopies = check((i) => Object.assign(copyOwn(body), { model: `m${i}` }));
process.stdout.write(`${JSON.stringify({ contexts, calls, replyHeaders, requestCopies })}\n`);
await gateway.close();
