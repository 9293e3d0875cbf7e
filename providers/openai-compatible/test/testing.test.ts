// The ./testing entry point that providers built on this package test with: OpenAI wire-format
// fixtures only (the mocked upstream is core's test kit), each recorded stream a valid SSE body
// naming the doc page it follows, and conformance answers for every scenario.
import { expect } from 'chai';
import { readSSE } from '@gatehousejs/core';
import { CONFORMANCE_ERROR, CONFORMANCE_TEXT, collect, type Scenario } from '@gatehousejs/core/testing';
import * as published from '@gatehousejs/provider-openai-compatible/testing';
import * as testing from '../src/testing/index.js';

const STREAMS = {
  chatStream: testing.chatStream,
  chatStreamTools: testing.chatStreamTools,
  chatStreamError: testing.chatStreamError,
  chatStreamTruncated: testing.chatStreamTruncated,
  sparseChatStream: testing.sparseChatStream,
  completionsStream: testing.completionsStream,
};

/** The `data:` payloads of a recorded stream, read as a client reads them. */
async function events(sse: string): Promise<string[]> {
  async function* body(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(sse);
  }
  return (await collect(readSSE(body()))).map((e) => e.data);
}

describe('openai-compatible ./testing', () => {
  it('is the package subpath @gatehousejs/provider-openai-compatible/testing', () => {
    expect(Object.keys(published).sort()).to.deep.equal(Object.keys(testing).sort());
    for (const name of Object.keys(testing)) expect(published[name as keyof typeof published], name).to.equal(testing[name as keyof typeof testing]);
    expect(Object.keys(testing)).to.include.members(['toolsResponse', 'chatStream', 'conformanceAnswer', 'badRequest', 'singleResponse']);
  });

  it('holds OpenAI wire fixtures only: the generic upstream helpers come from @gatehousejs/core/testing', () => {
    for (const name of ['agentPerTest', 'answer', 'newAgent', 'releaseAgent', 'instanceOf', 'services', 'recordingLogger', 'rejection']) {
      expect(testing, name).to.not.have.property(name);
    }
  });

  it('opens every recorded stream with `:` comment lines naming the OpenAI doc page it follows', () => {
    for (const [name, sse] of Object.entries(STREAMS)) {
      const comments = sse.split('\n').filter((line) => line.startsWith(':'));
      expect(comments.length, name).to.be.greaterThan(0);
      expect(sse.startsWith(':'), name).to.equal(true);
      expect(comments.join(' '), name).to.match(/https:\/\/platform\.openai\.com\/docs\//);
    }
  });

  it('records complete streams as JSON events ending with data: [DONE], and cut ones without it', async () => {
    for (const name of ['chatStream', 'chatStreamTools', 'completionsStream'] as const) {
      const data = await events(STREAMS[name]);
      expect(data.at(-1), name).to.equal('[DONE]');
      for (const payload of data.slice(0, -1)) expect(() => JSON.parse(payload), `${name}: ${payload}`).to.not.throw();
    }
    for (const name of ['chatStreamTruncated', 'sparseChatStream'] as const) expect(await events(STREAMS[name]), name).to.not.include('[DONE]');
    const failing = await events(STREAMS.chatStreamError);
    expect(JSON.parse(failing.at(-1)!)).to.have.nested.property('error.message');
  });

  it('streams the tool calls of chatStreamTools as argument pieces that join into JSON per index', async () => {
    const args: string[] = [];
    for (const payload of (await events(testing.chatStreamTools)).slice(0, -1)) {
      const chunk = JSON.parse(payload) as { choices: Array<{ delta: { tool_calls?: Array<{ index: number; function?: { arguments?: string } }> } }> };
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) args[call.index] = (args[call.index] ?? '') + (call.function?.arguments ?? '');
    }
    expect(args).to.have.length(2);
    for (const text of args) expect(JSON.parse(text)).to.be.an('object');
  });

  it('answers every conformance scenario in OpenAI’s format, with the suite’s text and error, naming the operation it calls', async () => {
    const scenarios: Scenario[] = ['chat', 'chatStream', 'completions', 'completionsStream', 'embeddings', 'badRequest', 'serverError', 'hang'];
    for (const scenario of scenarios) {
      const reply = testing.conformanceAnswer(scenario, 'test-model', CONFORMANCE_TEXT, CONFORMANCE_ERROR);
      const operation = testing.CONFORMANCE_OPERATIONS[scenario];
      expect(operation, scenario).to.equal(scenario.startsWith('completions') ? 'completions' : scenario === 'embeddings' ? 'embeddings' : 'chat/completions');
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      if (scenario === 'chatStream' || scenario === 'completionsStream') {
        const data = await events(body);
        expect(data.at(-1), scenario).to.equal('[DONE]');
      } else if (scenario === 'badRequest') {
        expect(reply.status).to.equal(400);
        expect(body).to.include(CONFORMANCE_ERROR);
      } else if (scenario === 'serverError') {
        expect(reply.status).to.equal(500);
      } else if (scenario === 'hang') {
        expect(reply.delay).to.be.at.least(1_000);
      } else {
        expect(reply.status ?? 200, scenario).to.equal(200);
        expect(() => JSON.parse(body), scenario).to.not.throw();
      }
    }
  });
});
