// Start a real gateway on a free port for end-to-end tests.
import { PassThrough } from 'node:stream';
import { startGateway, type RunningServer } from '../server.js';
import type { GatewayOptions } from '../gateway.js';

export interface TestGateway extends RunningServer {
  /** Every log line written so far (JSON strings). */
  readonly logs: string[];
}

export async function startTestGateway(options: GatewayOptions = {}): Promise<TestGateway> {
  const logs: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const running = await startGateway({ host: '127.0.0.1', port: 0, logStream: stream, ...options });
  return Object.assign(running, { logs });
}
