// Shared test fixtures: real gateways on 127.0.0.1 with the mock provider and the usage, keys and
// management plugins; a throwaway SQLite directory or PostgreSQL schema per test.
import { randomBytes } from 'node:crypto';
import { callGateway, startTestGateway, type CallReply, type TestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import usage from '@gatehousejs/plugin-usage';
import { dropSchemas, schemaName as sharedSchemaName, tempDir as sharedTempDir, TEST_DATABASE_URL } from '@gatehousejs/plugin-usage/testing';
import keys from '@gatehousejs/plugin-keys';
import management from '../src/index.js';

export const PG_URL = TEST_DATABASE_URL;
export const ADMIN_KEY = `admin-${randomBytes(16).toString('hex')}`;
export const MASTER_KEY = randomBytes(32).toString('base64');

export const FILE_ENDPOINTS = [{ name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-chat', config: { response: 'from the file' } } }];
export const FILE_ROUTES = [{ name: 'split', task_type: 'llm/v1/chat', destinations: [{ name: 'chat', traffic_percentage: 100 }], routing_strategy: 'TRAFFIC_SPLIT' }];

export interface GatewaySetup {
  readonly dataDir?: string;
  readonly pgSchema?: string;
  /** Admin key configured (default true). */
  readonly admin?: boolean;
  /** GATEHOUSE_MASTER_KEY (default MASTER_KEY; null: none). */
  readonly masterKey?: string | null;
  readonly management?: Record<string, unknown>;
}

export async function startGateway(setup: GatewaySetup): Promise<TestGateway> {
  const store = setup.pgSchema ? { store: 'postgres', database_url: PG_URL, schema: setup.pgSchema } : { data_dir: setup.dataDir };
  const env: NodeJS.ProcessEnv = { ...process.env, GH_TEST_ADMIN_KEY: ADMIN_KEY };
  delete env.GATEHOUSE_MASTER_KEY;
  if (setup.masterKey !== null) env.GATEHOUSE_MASTER_KEY = setup.masterKey ?? MASTER_KEY;
  return startTestGateway({
    config: {
      endpoints: FILE_ENDPOINTS,
      routes: FILE_ROUTES,
      usage: store,
      ...(setup.admin === false ? {} : { keys: { admin_key: '$GH_TEST_ADMIN_KEY' } }),
      ...(setup.management ? { management: setup.management } : {}),
    },
    providers: [mock],
    plugins: [{ definition: usage }, { definition: keys }, { definition: management }],
    discover: false,
    env,
  });
}

export const tempDir = () => sharedTempDir('management');
export const schemaName = () => sharedSchemaName('management');
export { dropSchemas };

export type Reply = CallReply;

export const call = callGateway;

export const admin = (base: string, method: string, pathname: string, body?: unknown) => call(base, method, pathname, { key: ADMIN_KEY, body });

export function chat(base: string, model: string): Promise<Reply> {
  return call(base, 'POST', '/v1/chat/completions', { body: { model, messages: [{ role: 'user', content: 'hello' }] } });
}

export const mockEndpoint = (name: string, config: Record<string, unknown> = {}) => ({ name, endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-chat', config } });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

