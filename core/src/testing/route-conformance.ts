// The conformance scenarios again, through a real gateway: every provider that runs the suite
// is checked on /v1/chat/completions, /v1/completions, /v1/embeddings and MLflow's invocations
// route, streams included, with the same fixtures it arranged for the direct calls.
import { MockAgent } from 'undici';
import { expect } from 'chai';
import type { EndpointType } from '../api/openai-types.js';
import { startTestGateway, type TestGateway } from './test-gateway.js';
import type { ConformanceOptions, Scenario } from './conformance.js';
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT } from './conformance-constants.js';

interface RouteCall {
  readonly status: number;
  readonly text: string;
}

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hello.' },
];

/** The data: payloads of an SSE body, in order. */
function ssePayloads(text: string): string[] {
  return text
    .split('\n\n')
    .map((frame) => frame.split('\n').find((line) => line.startsWith('data: '))?.slice(6))
    .filter((data): data is string => data !== undefined);
}

function streamedText(text: string): string {
  return ssePayloads(text)
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as { choices?: { text?: string; delta?: { content?: string | null } }[] })
    .map((chunk) => chunk.choices?.[0]?.delta?.content ?? chunk.choices?.[0]?.text ?? '')
    .join('');
}

export function runRouteConformance(opts: ConformanceOptions): void {
  describe('through the gateway routes', () => {
    let agent: MockAgent;
    let gateway: TestGateway | undefined;

    beforeEach(() => {
      agent = new MockAgent();
      agent.disableNetConnect();
    });

    afterEach(async () => {
      await gateway?.close();
      gateway = undefined;
      agent.assertNoPendingInterceptors();
      await agent.close();
    });

    /** Arrange the upstream, start a gateway with one endpoint of `type`, and call `path`. */
    async function call(scenario: Scenario, type: EndpointType, path: (endpoint: string) => string, body: Record<string, unknown>): Promise<RouteCall> {
      const { model, ...extra } = (opts.arrange(scenario, agent) ?? {}) as Record<string, unknown>;
      gateway = await startTestGateway({
        config: {
          endpoints: [
            {
              name: 'ep',
              endpoint_type: type,
              model: { provider: opts.providerName ?? opts.provider.id, name: (model as string | undefined) ?? opts.model, config: opts.options },
            },
          ],
        },
        providers: [opts.provider],
        discover: false,
        dispatcher: agent,
      });
      const res = await fetch(`${gateway.url}${path('ep')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, ...extra }),
      });
      return { status: res.status, text: await res.text() };
    }

    const v1 = (p: string) => () => `/v1/${p}`;
    const invocations = (endpoint: string) => `/endpoints/${endpoint}/invocations`;

    if (opts.supports.chat) {
      it('answers a chat on /v1/chat/completions and on the MLflow invocations route', async () => {
        const viaV1 = await call('chat', 'llm/v1/chat', v1('chat/completions'), { model: 'ep', messages });
        expect(viaV1.status, viaV1.text).to.equal(200);
        expect(JSON.parse(viaV1.text).choices[0].message.content).to.equal(CONFORMANCE_TEXT);
        await gateway!.close();
        gateway = undefined;
        agent.assertNoPendingInterceptors();
        const viaMlflow = await call('chat', 'llm/v1/chat', invocations, { messages });
        expect(viaMlflow.status, viaMlflow.text).to.equal(200);
        expect(JSON.parse(viaMlflow.text).choices[0].message.content).to.equal(CONFORMANCE_TEXT);
      });

      it("keeps an upstream 400's status and message on /v1", async () => {
        const res = await call('badRequest', 'llm/v1/chat', v1('chat/completions'), { model: 'ep', messages });
        expect(res.status, res.text).to.equal(400);
        expect(JSON.parse(res.text).error.message).to.contain(CONFORMANCE_ERROR);
      });
    }

    if (opts.supports.chatStream) {
      it("streams a chat on /v1 in OpenAI's chunks ending with [DONE]", async () => {
        const res = await call('chatStream', 'llm/v1/chat', v1('chat/completions'), { model: 'ep', messages, stream: true });
        expect(res.status, res.text).to.equal(200);
        expect(ssePayloads(res.text).at(-1)).to.equal('[DONE]');
        expect(streamedText(res.text)).to.equal(CONFORMANCE_TEXT);
      });

      it("streams a chat on the invocations route in MLflow's format", async () => {
        const res = await call('chatStream', 'llm/v1/chat', invocations, { messages, stream: true });
        expect(res.status, res.text).to.equal(200);
        expect(ssePayloads(res.text)).to.not.include('[DONE]');
        expect(streamedText(res.text)).to.equal(CONFORMANCE_TEXT);
      });
    }

    if (opts.supports.completions) {
      it('answers a completion on /v1/completions', async () => {
        const res = await call('completions', 'llm/v1/completions', v1('completions'), { model: 'ep', prompt: 'Say hello.' });
        expect(res.status, res.text).to.equal(200);
        expect(JSON.parse(res.text).choices[0].text).to.equal(CONFORMANCE_TEXT);
      });
    }

    if (opts.supports.completionsStream) {
      it('streams a completion on the invocations route', async () => {
        const res = await call('completionsStream', 'llm/v1/completions', invocations, { prompt: 'Say hello.', stream: true });
        expect(res.status, res.text).to.equal(200);
        expect(streamedText(res.text)).to.equal(CONFORMANCE_TEXT);
      });
    }

    if (opts.supports.embeddings) {
      it('answers embeddings on /v1/embeddings in base64 and on the invocations route', async () => {
        const res = await call('embeddings', 'llm/v1/embeddings', v1('embeddings'), { model: 'ep', input: ['a', 'b'], encoding_format: 'base64' });
        expect(res.status, res.text).to.equal(200);
        const data = JSON.parse(res.text).data as { index: number; embedding: string }[];
        expect(data.map((d) => d.index)).to.deep.equal([0, 1]);
        for (const item of data) expect(Buffer.from(item.embedding, 'base64').length % 4).to.equal(0);
        await gateway!.close();
        gateway = undefined;
        agent.assertNoPendingInterceptors();
        const viaMlflow = await call('embeddings', 'llm/v1/embeddings', invocations, { input: ['a', 'b'] });
        expect(viaMlflow.status, viaMlflow.text).to.equal(200);
        expect(JSON.parse(viaMlflow.text).data).to.have.length(2);
      });
    }
  });
}
