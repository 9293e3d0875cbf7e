// The shared provider conformance suite. Every provider package runs it against fixtures of
// its own wire format: it checks the canonical shapes, stream termination, error mapping,
// cancellation and unsupported endpoint types the same way for all of them.
import { MockAgent } from 'undici';
import { expect } from 'chai';
import type { ProviderDefinition, ProviderInstance } from '../api/provider.js';
import type { ChatChunk, ChatRequest, CompletionsChunk, CompletionsRequest, EmbeddingsRequest } from '../api/openai-types.js';
import { isGatewayError } from '../errors.js';
import { callContext, collect, createProviderInstance } from './provider-harness.js';

export type Scenario =
  | 'chat'
  | 'chatStream'
  | 'completions'
  | 'completionsStream'
  | 'embeddings'
  | 'badRequest'
  | 'serverError'
  | 'hang';

import { CONFORMANCE_ERROR, CONFORMANCE_TEXT } from './conformance-constants.js';
import { runRouteConformance } from './route-conformance.js';

export { CONFORMANCE_ERROR, CONFORMANCE_TEXT };

export interface ConformanceOptions {
  readonly name?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Options type fits
  readonly provider: ProviderDefinition<any>;
  /** The endpoint's `model.config`, secrets already resolved. */
  readonly options: Record<string, unknown>;
  readonly model: string;
  readonly providerName?: string;
  /** Which methods the instance must have; the others must be absent (core answers 501). */
  readonly supports: {
    readonly chat?: boolean;
    readonly chatStream?: boolean;
    readonly completions?: boolean;
    readonly completionsStream?: boolean;
    readonly embeddings?: boolean;
  };
  /**
   * Arrange the upstream for one scenario, in the provider's real wire format:
   * - chat / completions: answer with the text CONFORMANCE_TEXT, finish reason "stop";
   * - chatStream / completionsStream: stream CONFORMANCE_TEXT in two or more pieces, then end;
   * - embeddings: answer the inputs ["a", "b"] with two vectors;
   * - badRequest: answer 400 with an error whose message contains CONFORMANCE_ERROR;
   * - serverError: answer 500;
   * - hang: answer only after several seconds (the suite aborts after 50 ms).
   * Register interceptors on `agent` (net connect is disabled), and/or return extra request
   * fields for this scenario (a provider without an upstream, such as mock, injects faults so).
   */
  arrange(scenario: Scenario, agent: MockAgent): void | Record<string, unknown>;
}

const chatRequest = (model: string, extra: Record<string, unknown> = {}): ChatRequest => ({
  model,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say hello.' },
  ],
  ...extra,
});

export function runProviderConformance(opts: ConformanceOptions): void {
  describe(`provider conformance: ${opts.name ?? opts.provider.id}`, () => {
    let agent: MockAgent;
    let instance: ProviderInstance;

    beforeEach(async () => {
      agent = new MockAgent();
      agent.disableNetConnect();
      instance = await createProviderInstance(opts.provider, { ...opts.options }, {
        dispatcher: agent,
        model: opts.model,
        providerName: opts.providerName,
      });
    });

    afterEach(async () => {
      agent.assertNoPendingInterceptors();
      await instance.close?.();
      await agent.close();
    });

    it('is made with defineProvider and apiVersion 1', () => {
      expect(opts.provider.apiVersion).to.equal(1);
      expect(opts.provider.id).to.be.a('string');
    });

    it('offers exactly the declared endpoint methods', () => {
      for (const method of ['chat', 'chatStream', 'completions', 'completionsStream', 'embeddings'] as const) {
        expect(typeof instance[method], method).to.equal(opts.supports[method] ? 'function' : 'undefined');
      }
    });

    if (opts.supports.chat) {
      it('answers a basic chat in the canonical shape', async () => {
        const extra = opts.arrange('chat', agent) ?? {};
        const res = await instance.chat!(chatRequest(opts.model, extra), callContext());
        expect(res.object).to.equal('chat.completion');
        expect(res.id).to.be.a('string').and.not.empty;
        expect(res.created).to.be.a('number');
        expect(res.choices).to.have.length.greaterThan(0);
        expect(res.choices[0]!.message.role).to.equal('assistant');
        expect(res.choices[0]!.message.content).to.equal(CONFORMANCE_TEXT);
        expect(res.choices[0]!.finish_reason).to.equal('stop');
        if (res.usage) expect(res.usage.total_tokens).to.equal(res.usage.prompt_tokens + res.usage.completion_tokens);
      });

      it('maps an upstream 400 to a 400 that keeps the upstream message', async () => {
        const extra = opts.arrange('badRequest', agent) ?? {};
        const error = await instance.chat!(chatRequest(opts.model, extra), callContext()).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isGatewayError(error), String(error)).to.equal(true);
        expect((error as { status: number }).status).to.equal(400);
        expect((error as Error).message).to.contain(CONFORMANCE_ERROR);
      });

      it('maps an upstream 5xx to a 502', async () => {
        const extra = opts.arrange('serverError', agent) ?? {};
        const error = await instance.chat!(chatRequest(opts.model, extra), callContext()).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isGatewayError(error), String(error)).to.equal(true);
        expect((error as { status: number }).status).to.equal(502);
      });

      it('stops promptly when the call is aborted', async () => {
        const extra = opts.arrange('hang', agent) ?? {};
        const controller = new AbortController();
        const started = Date.now();
        setTimeout(() => controller.abort(), 50);
        const error = await instance.chat!(chatRequest(opts.model, extra), callContext({ signal: controller.signal })).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, 'an aborted call must reject').to.not.equal(undefined);
        expect(Date.now() - started).to.be.lessThan(2000);
        // The hanging interceptor was consumed by the aborted call; nothing else is pending.
      });
    }

    if (opts.supports.chatStream) {
      it('streams chat chunks that add up to the answer and end with a finish reason', async () => {
        const extra = opts.arrange('chatStream', agent) ?? {};
        const chunks = await collect<ChatChunk>(instance.chatStream!(chatRequest(opts.model, { stream: true, ...extra }), callContext()));
        expect(chunks.length).to.be.greaterThan(1);
        for (const chunk of chunks) expect(chunk.object).to.equal('chat.completion.chunk');
        const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
        expect(text).to.equal(CONFORMANCE_TEXT);
        const finishes = chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean);
        expect(finishes).to.deep.equal(['stop']);
      });

      it('reports an upstream 400 before streaming as a 400', async () => {
        const extra = opts.arrange('badRequest', agent) ?? {};
        const error = await collect(instance.chatStream!(chatRequest(opts.model, { stream: true, ...extra }), callContext())).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isGatewayError(error), String(error)).to.equal(true);
        expect((error as { status: number }).status).to.equal(400);
      });
    }

    if (opts.supports.completions) {
      it('answers a completion in the canonical shape', async () => {
        const extra = opts.arrange('completions', agent) ?? {};
        const req: CompletionsRequest = { model: opts.model, prompt: 'Say hello.', ...extra };
        const res = await instance.completions!(req, callContext());
        expect(res.object).to.equal('text_completion');
        expect(res.choices[0]!.text).to.equal(CONFORMANCE_TEXT);
        expect(res.choices[0]!.finish_reason).to.equal('stop');
      });
    }

    if (opts.supports.completionsStream) {
      it('streams completion chunks that add up to the answer', async () => {
        const extra = opts.arrange('completionsStream', agent) ?? {};
        const req: CompletionsRequest = { model: opts.model, prompt: 'Say hello.', stream: true, ...extra };
        const chunks = await collect<CompletionsChunk>(instance.completionsStream!(req, callContext()));
        expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).to.equal(CONFORMANCE_TEXT);
        expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).to.deep.equal(['stop']);
      });
    }

    if (opts.supports.embeddings) {
      it('answers embeddings with one float vector per input, in order', async () => {
        const extra = opts.arrange('embeddings', agent) ?? {};
        const req: EmbeddingsRequest = { model: opts.model, input: ['a', 'b'], ...extra };
        const res = await instance.embeddings!(req, callContext());
        expect(res.object).to.equal('list');
        expect(res.data.map((d) => d.index)).to.deep.equal([0, 1]);
        for (const item of res.data) {
          expect(item.object).to.equal('embedding');
          expect(item.embedding.length).to.be.greaterThan(0);
          for (const v of item.embedding) expect(v).to.be.a('number');
        }
      });
    }

    runRouteConformance(opts);
  });
}
