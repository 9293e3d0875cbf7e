// A local server that speaks the Gemini API's generateContent and streamGenerateContent
// (https://ai.google.dev/api/generate-content), answering with the gemini provider package's
// recorded fixtures, recording what it receives, and letting a test take over any request.
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixtureFiles, startRecordingServer, type RecordedRequest, type RecordingServer } from '@gatehousejs/core/testing';
import { REPO_ROOT } from './paths.js';

export const { fixture: geminiFixture, fixtureJson: geminiFixtureJson } = fixtureFiles(
  pathToFileURL(path.join(REPO_ROOT, 'providers', 'gemini', 'test', 'fixtures') + path.sep),
);

export type GeminiRecorded = RecordedRequest;

/** Return true when the request was answered. */
export type GeminiOverride = (req: GeminiRecorded, res: ServerResponse) => boolean;

const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' };

export function sendGoogleError(res: ServerResponse, code: number, message: string, status: string): void {
  res.writeHead(code, JSON_TYPE);
  res.end(JSON.stringify({ error: { code, message, status } }));
}

/** Write an SSE body one event at a time, a turn of the event loop apart, as a real stream arrives. */
export async function writeEvents(res: ServerResponse, sse: string): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const event of sse.split(/(?<=\r?\n\r?\n)/)) {
    res.write(event);
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

export class FakeGemini {
  readonly requests: GeminiRecorded[] = [];
  override: GeminiOverride | undefined;

  private constructor(private readonly server: RecordingServer) {}

  static async start(): Promise<FakeGemini> {
    let fake!: FakeGemini;
    const server = await startRecordingServer((recorded, res) => {
      fake.requests.push(recorded);
      return fake.handle(recorded, res);
    });
    fake = new FakeGemini(server);
    return fake;
  }

  /** The API base to configure (`gemini_api_base`). */
  get apiBase(): string {
    return `${this.server.url}/v1beta`;
  }

  reset(): void {
    this.requests.length = 0;
    this.override = undefined;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(req: GeminiRecorded, res: ServerResponse): Promise<void> {
    if (this.override?.(req, res)) return;
    if (req.method === 'POST' && /^\/v1beta\/models\/[^/:]+:generateContent$/.test(req.path)) {
      res.writeHead(200, JSON_TYPE);
      res.end(geminiFixture('generate-text.jsonc'));
      return;
    }
    if (req.method === 'POST' && /^\/v1beta\/models\/[^/:]+:streamGenerateContent\?alt=sse$/.test(req.path)) {
      await writeEvents(res, geminiFixture('stream-text.sse'));
      return;
    }
    sendGoogleError(res, 404, `Method not found: ${req.method} ${req.path}`, 'NOT_FOUND');
  }
}
