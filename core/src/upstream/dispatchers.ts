// Endpoints with their own connect timeout get their own connection pool: undici sets the
// connect timeout per dispatcher, not per request. One pool per distinct timeout, shared by
// every endpoint that asks for it; the rest use the gateway's shared pool.
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { Agent } from './undici.js';

export class ConnectTimeoutDispatchers {
  private readonly pools = new Map<number, UndiciAgent>();

  constructor(
    private readonly shared: Dispatcher,
    private readonly connections: number,
  ) {}

  forConnectTimeout(connectMs: number | undefined): Dispatcher {
    if (connectMs === undefined) return this.shared;
    let pool = this.pools.get(connectMs);
    if (!pool) this.pools.set(connectMs, (pool = new Agent({ keepAliveTimeout: 30_000, connections: this.connections, connect: { timeout: connectMs } })));
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close().catch(() => undefined)));
    this.pools.clear();
  }
}
