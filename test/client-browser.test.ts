// The client must work in browsers: its built import graph may reach no Node built-in and
// nothing server-side (express, undici, winston, ...), only the one small browser-safe package
// it shares with core's SSE reader; and a gateway with `server.cors` admits its requests.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { createClient } from '@gatehousejs/core/client';
import { rejection } from './helpers/openai-client.js';
import { REPO_ROOT } from './helpers/paths.js';

const ENTRY = path.join(REPO_ROOT, 'core', 'dist', 'src', 'client', 'index.js');
const ALLOWED_PACKAGES = ['eventsource-parser'];
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s*(?:[^'"`;]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every file reached from the entry through relative imports, and every other specifier. */
function importGraph(entry: string): { files: string[]; external: Set<string> } {
  const files: string[] = [];
  const external = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier));
      else external.add(specifier);
    }
  }
  return { files, external };
}

describe('TypeScript client: browser safety', function () {
  const { files, external } = importGraph(ENTRY);

  it('reaches the client, core SSE reader and backoff helper, and no other core module', function () {
    const relative = files.map((f) => path.relative(path.join(REPO_ROOT, 'core', 'dist', 'src'), f).split(path.sep).join('/'));
    expect(relative.filter((f) => !f.startsWith('client/')).sort()).to.deep.equal(['sse.js', 'util/backoff.js']);
    expect(relative).to.include.members(['client/index.js', 'client/client.js', 'client/http.js', 'client/stream.js', 'client/errors.js']);
  });

  it('imports no Node built-in and no server-side package', function () {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const forbidden = [...external].filter((s) => s.startsWith('node:') || builtins.has(s) || /^(express|undici|winston)(\/|$)/.test(s));
    expect(forbidden).to.deep.equal([]);
    expect([...external].sort()).to.deep.equal(ALLOWED_PACKAGES);
  });
});

describe('TypeScript client: from a browser origin (server.cors)', function () {
  const ORIGIN = 'https://app.example.test';
  let gw: TestGateway;

  before(async function () {
    gw = await startTestGateway({
      watch: false,
      config: {
        endpoints: [{ name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-chat' } }],
        server: { cors: { origins: [ORIGIN] } },
      },
    });
  });

  after(async function () {
    await gw?.close();
  });

  it("the preflight admits the client's headers", async function () {
    const res = await fetch(`${gw.url}/endpoints/chat/invocations`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'accept, authorization, content-type' },
    });
    expect(res.status).to.equal(204);
    expect(res.headers.get('access-control-allow-origin')).to.equal(ORIGIN);
    expect(res.headers.get('access-control-allow-headers')).to.equal('accept, authorization, content-type');
  });

  it('answers carry the CORS headers, exposing what the client reads (x-request-id, retry-after)', async function () {
    let seen: Headers | undefined;
    const client = createClient(gw.url, {
      apiKey: 'browser-key',
      headers: { origin: ORIGIN },
      maxRetries: 0,
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        seen = res.headers;
        return res;
      },
    });
    const error = await rejection(client.predict('chat', { messages: [{ role: 'user', content: 'x' }], mock: { status: 429, retry_after: 1 } }));
    expect(error.retryAfterMs).to.equal(1_000);
    expect(error.requestId).to.be.a('string');
    expect(seen!.get('access-control-allow-origin')).to.equal(ORIGIN);
    expect(seen!.get('access-control-expose-headers')).to.include('x-request-id').and.include('retry-after');
  });
});
