// Shared test fixtures: real gateways on 127.0.0.1 with the mock provider, the usage plugin
// (the SQL store) and the keys plugin; a throwaway SQLite directory or PostgreSQL schema per
// test; the CLI run in-process through the gateway's registered command.
import { randomBytes } from 'node:crypto';
import { callGateway, runCliCommand, startTestGateway, type CallReply, type CliRun, type TestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import usage from '@gatehousejs/plugin-usage';
import { dropSchemas, schemaName as sharedSchemaName, tempDir as sharedTempDir, TEST_DATABASE_URL } from '@gatehousejs/plugin-usage/testing';
import keys from '../src/index.js';

export const PG_URL = TEST_DATABASE_URL;
export const ADMIN_KEY = `admin-${randomBytes(16).toString('hex')}`;

export const ENDPOINTS = [
  { name: 'chat', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-chat' } },
  { name: 'chat-b', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'mock-chat-b' } },
  { name: 'emb', endpoint_type: 'llm/v1/embeddings', model: { provider: 'mock', name: 'mock-emb' } },
];
export const ROUTES = [{ name: 'split', task_type: 'llm/v1/chat', destinations: [{ name: 'chat-b', traffic_percentage: 100 }], routing_strategy: 'TRAFFIC_SPLIT' }];

export interface StoreOptions {
  /** SQLite in this directory, or PostgreSQL in this schema. */
  readonly dataDir?: string;
  readonly pgSchema?: string;
}

export function usageConfig(store: StoreOptions): Record<string, unknown> {
  return store.pgSchema ? { store: 'postgres', database_url: PG_URL, schema: store.pgSchema } : { data_dir: store.dataDir };
}

export async function startKeysGateway(store: StoreOptions, keysConfig?: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Promise<TestGateway> {
  return startTestGateway({
    config: { endpoints: ENDPOINTS, routes: ROUTES, usage: usageConfig(store), ...(keysConfig ? { keys: keysConfig } : {}) },
    providers: [mock],
    plugins: [{ definition: usage }, { definition: keys }],
    discover: false,
    env,
  });
}

export const tempDir = () => sharedTempDir('keys');
export const schemaName = () => sharedSchemaName('keys');
export { dropSchemas };

export type Reply = CallReply;

export const call = callGateway;

/** A chat request to `model` with `key` (none: no credential). */
export function chat(base: string, model: string, key?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return call(base, 'POST', '/v1/chat/completions', { key, headers, body: { model, messages: [{ role: 'user', content: 'hello' }] } });
}

export const admin = (base: string, method: string, pathname: string, body?: unknown) => call(base, method, pathname, { key: ADMIN_KEY, body });

/** `gatehouse keys ...` through the command the plugin registered on this gateway. */
export function runKeys(gw: TestGateway, argv: string[]): Promise<CliRun> {
  return runCliCommand(gw, 'keys', argv);
}

/** The key printed by `keys create`. */
export function printedKey(out: string): string {
  const match = /\b(gh_[0-9a-f]{16}_[A-Za-z0-9_-]{43})\b/.exec(out);
  if (!match) throw new Error(`no key in: ${out}`);
  return match[1]!;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}
