// Run by lazy-express.test.ts in a fresh process: a gateway serving traffic and health checks,
// then a listing; it prints whether express (a CommonJS package: it shows in require.cache) was
// loaded at each point, and the health replies of the direct path and of express's.
import { createRequire } from 'node:module';
import { baseConfig, postJson, scripted } from './helpers.js';
import { startTestGateway } from '../src/testing/test-gateway.js';

const cache = createRequire(import.meta.url).cache;
const expressLoaded = () => Object.keys(cache).some((file) => /[/\\]node_modules[/\\]express[/\\]/.test(file));

async function health(url: string) {
  const res = await fetch(url);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'date') headers[name] = value;
  });
  return { status: res.status, headers, body: await res.text() };
}

const gw = await startTestGateway({ config: baseConfig, providers: [scripted], discover: false });
try {
  const atStart = expressLoaded();
  const direct = await health(`${gw.url}/health`);
  const chat = await postJson(`${gw.url}/v1/chat/completions`, { model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
  const afterTraffic = expressLoaded();
  const models = await fetch(`${gw.url}/v1/models`);
  const afterListing = expressLoaded();
  // With a query string, /health takes express's route.
  const viaExpress = await health(`${gw.url}/health?probe=1`);
  process.stdout.write(JSON.stringify({ atStart, afterTraffic, afterListing, chatStatus: chat.status, modelsStatus: models.status, direct, viaExpress }));
} finally {
  await gw.close();
}
