// Completions through TGI's POST /generate: the request sent (path, auth, {inputs, parameters}
// through the translation table), the answer read back, n and prompt lists by parallel calls.
import { expect } from 'chai';
import { agentPerTest, callContext, rejection } from '@gatehousejs/core/testing';
import type { CompletionsRequest } from '@gatehousejs/core';
import { MODEL, ORIGIN, TOKEN, fixture, fixtureJson, instance, intercept } from './helpers.js';

const request = (extra: Partial<CompletionsRequest> = {}): CompletionsRequest => ({ model: MODEL, prompt: 'What is Deep Learning?', ...extra });

describe('huggingface-tgi completions (/generate)', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('posts {inputs, parameters} to {hf_server_url}/generate and answers a text_completion', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.completions!(request({ max_tokens: 64 }), callContext());

    expect(sent.requests[0]!.path).to.equal('/generate');
    expect(sent.requests[0]!.headers).to.not.have.property('authorization');
    expect(sent.requests[0]!.body).to.deep.equal({
      inputs: 'What is Deep Learning?',
      parameters: { max_new_tokens: 64, details: true, decoder_input_details: true, return_full_text: false },
    });
    const answer = fixtureJson<{ generated_text: string }>('generate.jsonc');
    expect(res).to.deep.include({ object: 'text_completion', model: MODEL });
    expect(res.id).to.match(/^cmpl-/);
    expect(res.created).to.be.a('number');
    expect(res.choices).to.deep.equal([{ index: 0, text: answer.generated_text, finish_reason: 'stop', logprobs: null }]);
    // prefill lists the 6 prompt tokens; 19 tokens generated (the last one </s>).
    expect(res.usage).to.deep.equal({ prompt_tokens: 6, completion_tokens: 19, total_tokens: 25 });
  });

  it('sends hf_api_token as a Bearer token and accepts a base URL with a trailing slash', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate.jsonc') });
    const tgi = await instance(mock.agent, { hf_server_url: `${ORIGIN}/`, hf_api_token: `${TOKEN}\n` });
    await tgi.completions!(request(), callContext());
    expect(sent.requests[0]!.path).to.equal('/generate');
    expect(sent.requests[0]!.headers.authorization).to.equal(`Bearer ${TOKEN}`);
  });

  it('translates the standard parameters and passes TGI’s own through into parameters', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate.jsonc') });
    const tgi = await instance(mock.agent);
    await tgi.completions!(
      request({
        temperature: 0.7,
        top_p: 0.9,
        max_tokens: 32,
        stop: '\nQuestion:',
        seed: 7,
        frequency_penalty: 0.4,
        presence_penalty: 0,
        user: 'user-1234',
        logprobs: 0,
        top_k: 40,
        repetition_penalty: 1.2,
        truncate: 1000,
      }),
      callContext(),
    );
    expect(sent.requests[0]!.body.parameters).to.deep.equal({
      temperature: 0.7,
      do_sample: true,
      top_p: 0.9,
      max_new_tokens: 32,
      stop: ['\nQuestion:'],
      seed: 7,
      frequency_penalty: 0.4,
      top_k: 40,
      repetition_penalty: 1.2,
      truncate: 1000,
      details: true,
      decoder_input_details: true,
      return_full_text: false,
    });
  });

  it('maps temperature 0 to greedy decoding and leaves top_p 1 out (TGI needs temperature > 0 and top_p < 1)', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate.jsonc') });
    const tgi = await instance(mock.agent);
    await tgi.completions!(request({ temperature: 0, top_p: 1 }), callContext());
    const parameters = sent.requests[0]!.body.parameters as Record<string, unknown>;
    expect(parameters.do_sample).to.equal(false);
    expect(parameters).to.not.have.property('temperature');
    expect(parameters).to.not.have.property('top_p');
  });

  it('keeps temperature on OpenAI’s scale (no rescaling: TGI divides the logits by it too)', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate.jsonc') });
    const tgi = await instance(mock.agent);
    await tgi.completions!(request({ temperature: 2 }), callContext());
    expect(sent.requests[0]!.body.parameters).to.deep.include({ temperature: 2, do_sample: true });
  });

  it('lets TGI’s own do_sample win over the one derived from temperature', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate.jsonc') });
    const tgi = await instance(mock.agent);
    await tgi.completions!(request({ temperature: 0.5, do_sample: false }), callContext());
    expect(sent.requests[0]!.body.parameters).to.deep.include({ temperature: 0.5, do_sample: false });
  });

  it('turns response_format into TGI’s grammar', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate.jsonc') });
    const tgi = await instance(mock.agent);
    await tgi.completions!(request({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } }), callContext());
    expect((sent.requests[0]!.body.parameters as Record<string, unknown>).grammar).to.deep.equal({ type: 'json', value: schema });
  });

  for (const [name, extra, param] of [
    ['presence_penalty', { presence_penalty: 0.5 }, 'presence_penalty'],
    ['logit_bias', { logit_bias: { '50256': -100 } }, 'logit_bias'],
    ['logprobs', { logprobs: 3 }, 'logprobs'],
    ['suffix', { suffix: ' end.' }, 'suffix'],
  ] as const) {
    it(`refuses ${name} with a 400 naming the provider, before any call`, async () => {
      const tgi = await instance(mock.agent, {}, 'huggingface-text-generation-inference');
      const error = await rejection(tgi.completions!(request(extra), callContext()));
      expect(error.status).to.equal(400);
      expect(error.param).to.equal(param);
      expect(error.message).to.contain('huggingface-text-generation-inference');
    });
  }

  it('reads finish_reason "length"', async () => {
    intercept(mock.agent, '/generate', { body: fixture('generate-length.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.completions!(request({ max_tokens: 4 }), callContext());
    expect(res.choices[0]).to.deep.include({ text: ' Deep learning is a', finish_reason: 'length' });
    expect(res.usage).to.deep.equal({ prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 });
  });

  it('cuts the stop sequence TGI leaves at the end of the text, as OpenAI does', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate-stop.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.completions!(request({ prompt: 'Question: What is the capital of France?\nAnswer:', stop: ['\nQuestion:'] }), callContext());
    expect((sent.requests[0]!.body.parameters as Record<string, unknown>).stop).to.deep.equal(['\nQuestion:']);
    expect(res.choices[0]).to.deep.include({ text: ' Paris. The Eiffel Tower is there.', finish_reason: 'stop' });
  });

  it('estimates usage when TGI sends no details', async () => {
    intercept(mock.agent, '/generate', { body: fixture('generate-no-details.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.completions!(request(), callContext());
    expect(res.choices[0]).to.deep.include({ text: ' Deep learning uses neural networks.', finish_reason: 'stop' });
    // estimateTokens: about four characters a token.
    expect(res.usage).to.deep.equal({ prompt_tokens: 6, completion_tokens: 9, total_tokens: 15 });
  });

  it('emulates n with parallel calls, one seed each, and adds the usage up', async () => {
    const first = intercept(mock.agent, '/generate', { body: fixture('generate-sample-a.jsonc') });
    const second = intercept(mock.agent, '/generate', { body: fixture('generate-sample-b.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.completions!(request({ n: 2, temperature: 1, seed: 42 }), callContext());

    const seeds = [...first.requests, ...second.requests].map((s) => (s.body.parameters as Record<string, unknown>).seed).sort();
    expect(seeds).to.deep.equal([42, 43]);
    expect(res.choices.map((c) => c.index)).to.deep.equal([0, 1]);
    expect(res.choices.map((c) => c.text).sort()).to.deep.equal([' A family of neural network methods.', ' Learning with many-layered networks.']);
    expect(res.usage).to.deep.equal({ prompt_tokens: 12, completion_tokens: 12, total_tokens: 24 });
  });

  it('answers a list of prompts with one choice per prompt, in order', async () => {
    const sent: string[] = [];
    mock.agent
      .get(ORIGIN)
      .intercept({ path: '/generate', method: 'POST' })
      .reply((opts) => {
        const { inputs } = JSON.parse(String(opts.body)) as { inputs: string };
        sent.push(inputs);
        const body = fixture(inputs === 'first' ? 'generate-sample-a.jsonc' : 'generate-sample-b.jsonc');
        return { statusCode: 200, data: body, responseOptions: { headers: { 'content-type': 'application/json' } } };
      })
      .times(2);
    const tgi = await instance(mock.agent);
    const res = await tgi.completions!(request({ prompt: ['first', 'second'] }), callContext());
    expect(sent.sort()).to.deep.equal(['first', 'second']);
    expect(res.choices.map((c) => [c.index, c.text])).to.deep.equal([
      [0, ' A family of neural network methods.'],
      [1, ' Learning with many-layered networks.'],
    ]);
  });

  it('refuses more than 16 parallel calls with a 400', async () => {
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.completions!(request({ n: 17 }), callContext()));
    expect(error.status).to.equal(400);
    expect(error.param).to.equal('n');
  });

  it('puts the prompt before the answer for echo', async () => {
    const sent = intercept(mock.agent, '/generate', { body: fixture('generate-length.jsonc') });
    const tgi = await instance(mock.agent);
    const res = await tgi.completions!(request({ echo: true }), callContext());
    expect(sent.requests[0]!.body.parameters).to.not.have.property('echo');
    expect(res.choices[0]!.text).to.equal('What is Deep Learning? Deep learning is a');
  });

  it('refuses token-id prompts with a 400', async () => {
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.completions!(request({ prompt: [1, 2, 3] as unknown as string[] }), callContext()));
    expect(error.status).to.equal(400);
    expect(error.param).to.equal('prompt');
  });

  it('answers 502 naming the provider when the answer has no generated_text', async () => {
    intercept(mock.agent, '/generate', { body: JSON.stringify({ predictions: ['not TGI'] }) });
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.completions!(request(), callContext()));
    expect(error.status).to.equal(502);
    expect(error.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(error.message).to.contain('Hugging Face TGI');
  });

  it('answers 502 naming the provider when the answer is not JSON', async () => {
    intercept(mock.agent, '/generate', { body: '<html>gateway</html>', headers: { 'content-type': 'text/html' } });
    const tgi = await instance(mock.agent);
    const error = await rejection(tgi.completions!(request(), callContext()));
    expect(error.status).to.equal(502);
    expect(error.message).to.contain('Hugging Face TGI');
  });
});
