// The ./testing entry point that providers built on this package test with: what it exports,
// and the helpers whose failures the other tests rely on.
import { AssertionError } from 'node:assert';
import { expect } from 'chai';
import { createError } from '@gatehousejs/core';
import * as published from '@gatehousejs/provider-openai-compatible/testing';
import * as testing from '../src/testing/index.js';
import { agentPerTest, answer, rejection, services, type TestHooks } from '../src/testing/index.js';

describe('openai-compatible ./testing', () => {
  it('is the package subpath @gatehousejs/provider-openai-compatible/testing', () => {
    expect(Object.keys(published).sort()).to.deep.equal(Object.keys(testing).sort());
    for (const name of Object.keys(testing)) expect(published[name as keyof typeof published], name).to.equal(testing[name as keyof typeof testing]);
    expect(Object.keys(testing)).to.include.members(['agentPerTest', 'answer', 'instanceOf', 'rejection', 'services', 'toolsResponse', 'chatStream', 'conformanceAnswer']);
  });

  describe('rejection', () => {
    it('returns the coded error a promise rejects with', async () => {
      const error = createError('GW_ERR_UPSTREAM_ERROR', 'boom');
      expect(await rejection(Promise.reject(error))).to.equal(error);
    });

    it('fails when the promise resolves, or rejects with something that is not a GatewayError', async () => {
      const failure = async (promise: Promise<unknown>): Promise<unknown> => rejection(promise).then(() => undefined, (e: unknown) => e);
      const resolved = await failure(Promise.resolve('fine'));
      expect(resolved).to.be.instanceOf(AssertionError);
      expect((resolved as Error).message).to.equal('expected a rejection');
      const plain = await failure(Promise.reject(new Error('plain')));
      expect(plain).to.be.instanceOf(AssertionError);
      expect((plain as Error).message).to.equal('expected a GatewayError, got Error: plain');
    });
  });

  describe('agentPerTest', () => {
    /** Hooks that record what they are given, to run them by hand. */
    function fakeHooks(): TestHooks & { before: (() => void | Promise<void>)[]; after: (() => void | Promise<void>)[] } {
      const before: (() => void | Promise<void>)[] = [];
      const after: (() => void | Promise<void>)[] = [];
      return { before, after, beforeEach: (fn) => before.push(fn), afterEach: (fn) => after.push(fn) };
    }

    it('gives each test its own agent, with net connect disabled, and none outside a test', async () => {
      const hooks = fakeHooks();
      const mock = agentPerTest(hooks);
      expect(hooks.before).to.have.length(1);
      expect(hooks.after).to.have.length(1);
      expect(() => mock.agent).to.throw(/only while a test runs/);

      await hooks.before[0]!();
      const first = mock.agent;
      const error = await first.request({ origin: 'http://127.0.0.1:9', path: '/', method: 'GET' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as { code?: string }).code).to.equal('UND_MOCK_ERR_MOCK_NOT_MATCHED');
      await hooks.after[0]!();
      expect(() => mock.agent).to.throw(/only while a test runs/);

      await hooks.before[0]!();
      expect(mock.agent).to.not.equal(first);
      await hooks.after[0]!();
    });

    it('fails the test after it when an interceptor was never used', async () => {
      const hooks = fakeHooks();
      const mock = agentPerTest(hooks);
      await hooks.before[0]!();
      answer(mock.agent, 'https://llm.example.com', '/v1/chat/completions', { body: {} });
      const error = await Promise.resolve(hooks.after[0]!()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(String(error)).to.match(/1 interceptor is pending/);
    });
  });

  it('services: a fixed clock and test names by default, each overridable', () => {
    const mock = { agent: testing.newAgent() };
    const defaults = services(mock.agent);
    expect(defaults).to.deep.include({ dispatcher: mock.agent, providerName: 'openai-compatible', endpoint: 'test-endpoint', model: 'test-model' });
    expect(defaults.clock.now()).to.equal(1_700_000_000_000);
    const lines: testing.LogLine[] = [];
    const custom = services(mock.agent, { model: 'gpt-4o-mini', providerName: 'openai', now: 42, logger: testing.recordingLogger(lines) });
    expect(custom).to.deep.include({ model: 'gpt-4o-mini', providerName: 'openai' });
    expect(custom.clock.now()).to.equal(42);
    custom.logger.warn('careful', { endpoint: 'e' });
    expect(lines).to.deep.equal([{ level: 'warn', message: 'careful', meta: { endpoint: 'e' } }]);
    return mock.agent.close();
  });
});
