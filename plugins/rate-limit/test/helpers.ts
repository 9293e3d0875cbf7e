// Test fixtures: in-process gateways on the mock provider with a stand-in for the keys plugin
// (its principal contract), a Redis server the test owns on a free port, and a TCP proxy
// that can cut it off.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { createError, definePlugin, type PluginDefinition, type ProviderDefinition } from '@gatehousejs/core';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import mock from '@gatehousejs/provider-mock';
import rateLimit from '../src/index.js';

/** Bearer tokens → principals, with the limits the keys plugin would give them. */
export const KEYS: Readonly<Record<string, Record<string, unknown>>> = {
  'sk-alpha': { id: 'key-alpha', name: 'alpha' },
  'sk-beta': { id: 'key-beta', name: 'beta' },
  'sk-own-limits': { id: 'key-own', name: 'own', limits: { requests: { calls: 2, renewal_period: 'minute' } } },
  'sk-anonymous': { id: 'anonymous' },
};

export const testKeys: PluginDefinition = definePlugin({
  id: 'test-keys',
  apiVersion: 1,
  setup(api) {
    api.hooks.authenticate.tap(async (ctx) => {
      const principal = KEYS[ctx.credential ?? ''];
      if (!principal) throw createError('GW_ERR_UNAUTHENTICATED', 'unknown key');
      return principal as { id: string };
    });
  },
});

export function chat(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, endpoint_type: 'llm/v1/chat', model: { provider: 'mock', name: 'gpt-4o-mini' }, ...extra };
}

export async function startGateway(config: Record<string, unknown>, providers: readonly ProviderDefinition[] = []): Promise<TestGateway> {
  return startTestGateway({ config, providers: [mock, ...providers], plugins: [{ definition: testKeys }, { definition: rateLimit }], discover: false });
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  json(): Record<string, any>;
}

export async function post(url: string, body: Record<string, unknown>, key = 'sk-alpha'): Promise<Reply> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text, json: () => JSON.parse(text) as Record<string, any> };
}

export function ask(model: string, text = 'Hello there', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content: text }], ...extra };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until `check` holds (polling), or fail after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function uniquePrefix(): string {
  return `gatehouse-test:${randomBytes(4).toString('hex')}:`;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A redis-server of the test's own, without persistence, that can be killed and restarted on its port. */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await eventually('redis-server to accept connections', () => canConnect(this.port));
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A TCP proxy to a port; cut() holds every connection open but silent, as a network partition does. */
export class CuttableProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private cutOff = false;

  private constructor(target: number) {
    this.server = net.createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => undefined);
      if (this.cutOff) return;
      const upstream = net.connect(target, '127.0.0.1');
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('data', (data) => !this.cutOff && upstream.write(data));
      upstream.on('data', (data) => !this.cutOff && client.write(data));
      client.on('close', () => upstream.destroy());
    });
  }

  static async start(target: number): Promise<CuttableProxy> {
    const proxy = new CuttableProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  cut(): void {
    this.cutOff = true;
  }

  /** Heal: drop the silent connections so that the client reconnects through a fresh one. */
  heal(): void {
    this.cutOff = false;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
