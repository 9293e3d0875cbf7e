// The worker thread that owns the SQLite connection. Messages: {id, op, args} in,
// {id, ok, result | error} out; the first message out says whether the database opened.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteDb } from './sqlite-db.js';

export type WorkerRequest =
  | { readonly id: number; readonly op: 'insert'; readonly args: Parameters<SqliteDb['insert']> }
  | { readonly id: number; readonly op: 'list'; readonly args: Parameters<SqliteDb['list']> }
  | { readonly id: number; readonly op: 'summary'; readonly args: Parameters<SqliteDb['summary']> }
  | { readonly id: number; readonly op: 'migrate'; readonly args: Parameters<SqliteDb['migrate']> }
  | { readonly id: number; readonly op: 'query'; readonly args: Parameters<SqliteDb['query']> }
  | { readonly id: number; readonly op: 'execute'; readonly args: Parameters<SqliteDb['execute']> }
  | { readonly id: number; readonly op: 'close'; readonly args: [] };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

const port = parentPort!;
let db: SqliteDb;
try {
  db = new SqliteDb((workerData as { file: string }).file);
  port.postMessage({ id: 0, ok: true, result: 'open' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: (error as Error).message } satisfies WorkerReply);
  process.exit(0);
}

port.on('message', (request: WorkerRequest) => {
  try {
    let result: unknown;
    if (request.op === 'insert') result = db.insert(...request.args);
    else if (request.op === 'list') result = db.list(...request.args);
    else if (request.op === 'summary') result = db.summary(...request.args);
    else if (request.op === 'migrate') result = db.migrate(...request.args);
    else if (request.op === 'query') result = db.query(...request.args);
    else if (request.op === 'execute') result = db.execute(...request.args);
    else {
      db.close();
      port.postMessage({ id: request.id, ok: true, result: undefined } satisfies WorkerReply);
      port.close();
      return;
    }
    port.postMessage({ id: request.id, ok: true, result } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ id: request.id, ok: false, error: (error as Error).message } satisfies WorkerReply);
  }
});
