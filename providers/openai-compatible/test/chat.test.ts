// Chat completions through the shared base: the request as sent upstream and the parsed answer.
import { expect } from 'chai';
import { agentPerTest, answer, callContext, rejection, services } from '@gatehousejs/core/testing';
import type { ChatRequest } from '@gatehousejs/core';
import { createOpenAICompatibleInstance } from '../src/index.js';
import { nStopRequest, nStopResponse, sparseResponse, toolResultRequest, toolsRequest, toolsResponse } from '../src/testing/fixtures/chat.js';
import { proxyHtml, vllmError } from '../src/testing/fixtures/errors.js';

const ORIGIN = 'https://llm.example.com';
const settings = { provider: 'Example', baseUrl: `${ORIGIN}/v1`, headers: { Authorization: 'Bearer sk-test' } };
const clone = <T>(value: T): T => structuredClone(value) as T;

describe('openai-compatible chat', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('sends tools as they are and returns the tool calls', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent, { model: 'gpt-4o-mini' }));
    const sent = answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: toolsResponse });
    const res = await instance.chat!(clone(toolsRequest) as unknown as ChatRequest, callContext());

    expect(sent.requests).to.have.length(1);
    expect(sent.requests[0]!.method).to.equal('POST');
    expect(sent.requests[0]!.path).to.equal('/v1/chat/completions');
    expect(sent.requests[0]!.headers).to.deep.equal({ authorization: 'Bearer sk-test', 'content-type': 'application/json' });
    expect(sent.requests[0]!.body).to.deep.equal(toolsRequest);
    expect(res).to.deep.equal(toolsResponse);
    expect(res.choices[0]!.message.tool_calls![0]!.function.name).to.equal('get_weather');
    expect(JSON.parse(res.choices[0]!.message.tool_calls![0]!.function.arguments)).to.deep.equal({ location: 'Paris, France' });
  });

  it('sends tool results (role "tool", assistant tool_calls with null content) unchanged', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const sent = answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: nStopResponse });
    await instance.chat!(clone(toolResultRequest) as unknown as ChatRequest, callContext());
    expect(sent.requests[0]!.body).to.deep.equal(toolResultRequest);
  });

  it('passes n, stop, sampling parameters and unknown extras through, and returns every choice', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const sent = answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: nStopResponse });
    const res = await instance.chat!(clone(nStopRequest) as unknown as ChatRequest, callContext());
    expect(sent.requests[0]!.body).to.deep.equal(nStopRequest);
    expect(res.choices.map((c) => c.message.content)).to.deep.equal(['Scoops of happiness', 'Chill out with a cone']);
    expect(res.choices.map((c) => c.index)).to.deep.equal([0, 1]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 15, completion_tokens: 11, total_tokens: 26 });
  });

  it('strips stream flags from a non-streaming call and leaves the caller\'s request untouched', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    const sent = answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: nStopResponse });
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: false, stream_options: { include_usage: true } };
    const before = clone(request);
    await instance.chat!(request, callContext());
    expect(sent.requests[0]!.body).to.deep.equal({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
    expect(request).to.deep.equal(before);
  });

  it('leaves out an empty model so that a single-model server uses its own', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent, { model: '' }));
    const sent = answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: nStopResponse });
    await instance.chat!({ model: '', messages: [{ role: 'user', content: 'Hi' }] }, callContext());
    expect(sent.requests[0]!.body).to.not.have.property('model');
  });

  it('fills id, object, created, model, index, role and usage total for a lax server', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent, { model: 'llama3.1:8b', now: 1_700_000_123_456 }));
    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: sparseResponse });
    const res = await instance.chat!({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'Hi' }] }, callContext());
    expect(res.id).to.match(/^chatcmpl-[A-Za-z0-9_-]{16}$/);
    expect(res).to.deep.include({ object: 'chat.completion', created: 1_700_000_123, model: 'llama3.1:8b' });
    expect(res.choices).to.deep.equal([{ index: 0, message: { role: 'assistant', content: 'Hi there' }, finish_reason: 'stop' }]);
    expect(res.usage).to.deep.equal({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
  });

  it('answers 502 when a 200 body is not JSON, keeping the body out of the message', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: proxyHtml, headers: { 'content-type': 'text/html' } });
    const error = await rejection(instance.chat!({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, callContext()));
    expect(error.status).to.equal(502);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(error.message).to.equal('Example answered with a body that is not JSON.');
  });

  it('answers 502 for JSON without choices, or with a choice without a message', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: { id: 'x', object: 'chat.completion' } });
    const noChoices = await rejection(instance.chat!({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, callContext()));
    expect(noChoices.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(noChoices.message).to.contain('"choices"');

    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: { choices: [{ index: 0, finish_reason: 'stop' }] } });
    const noMessage = await rejection(instance.chat!({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, callContext()));
    expect(noMessage.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');

    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: [1, 2] });
    const notObject = await rejection(instance.chat!({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, callContext()));
    expect(notObject.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('answers 502 with the upstream message when a server reports an error with status 200', async () => {
    const instance = createOpenAICompatibleInstance(settings, services(mock.agent));
    answer(mock.agent, ORIGIN, '/v1/chat/completions', { body: vllmError });
    const error = await rejection(instance.chat!({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, callContext()));
    expect(error.status).to.equal(502);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_ERROR');
    expect(error.message).to.equal(`Example answered with an error: ${vllmError.message}`);
  });
});
