// The parts of undici the gateway uses, without its index. The index also loads fetch,
// WebSocket, EventSource, the cache stores and the mock agents: 6–8 MiB of resident memory in
// every gateway process that never uses them. Like the index, this adds undici's request(),
// stream(), pipeline(), connect() and upgrade() to every dispatcher, so a provider package may
// call `call.dispatcher.request(...)` as it would with the full package. The same module
// instances as `import 'undici'` (one copy in node_modules): a later import of the index by a
// plugin gets the same classes, and `instanceof` checks hold either way.
// The paths are undici's file layout (7.x), not its public API: core's tests go through them on
// every upstream call, so an undici upgrade that moves them fails the suite at once.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as typeof Undici.Dispatcher;
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js'));

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export const errors = require('undici/lib/core/errors.js') as typeof Undici.errors;
