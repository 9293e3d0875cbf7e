// The request the provider sends: OpenAI-format chat requests translated into Gemini
// generateContent bodies (https://ai.google.dev/api/generate-content#request-body), checked on the wire.
import { expect } from 'chai';
import type { ChatRequest, ProviderInstance } from '@gatehousejs/core';
import { agentPerTest, callContext, providerPerTest, rejection, type Captured } from '@gatehousejs/core/testing';
import provider, { DEFAULT_API_BASE, geminiUrls } from '../src/index.js';
import { API_KEY, MODEL, PATHS, fixture, instance, intercept, interceptGenerate } from './helpers.js';

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('gemini: chat request translation', () => {
  const mock = providerPerTest({ beforeEach, afterEach }, instance);

  /** Send `request` and return what reached the upstream. */
  async function sent(request: Partial<ChatRequest>, p: ProviderInstance = mock.provider): Promise<Captured> {
    const captured = interceptGenerate(mock.agent, 'generate-text.jsonc');
    await p.chat!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...request } as ChatRequest, callContext());
    expect(captured.calls).to.equal(1);
    return captured;
  }

  it('posts to models/{model}:generateContent with the key in x-goog-api-key, never in the URL', async () => {
    const captured = await sent({});
    expect(captured.method).to.equal('POST');
    expect(captured.path).to.equal(PATHS.generate);
    expect(captured.path).to.not.contain('key=');
    expect(captured.path).to.not.contain(API_KEY);
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
    expect(captured.headers['content-type']).to.equal('application/json');
    expect(captured.headers).to.not.have.property('authorization');
    expect(captured.body).to.deep.equal({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it('maps system and developer messages to systemInstruction and assistant turns to role "model"', async () => {
    const captured = await sent({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: [{ type: 'text', text: 'How are you?' }] },
      ],
    });
    expect(captured.body).to.deep.equal({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello! How can I help?' }] },
        { role: 'user', parts: [{ text: 'How are you?' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
    });
  });

  it('translates the standard parameters into generationConfig; temperature is not scaled', async () => {
    const captured = await sent({
      temperature: 1.5,
      top_p: 0.9,
      top_k: 40,
      max_tokens: 256,
      stop: 'END',
      n: 2,
      presence_penalty: 0.5,
      frequency_penalty: -0.25,
      seed: 7,
      user: 'user-42',
      parallel_tool_calls: true,
      logprobs: false,
      // null means "not set" in OpenAI's API.
      logit_bias: null as unknown as undefined,
    });
    expect(captured.body).to.deep.equal({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig: {
        temperature: 1.5,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 256,
        stopSequences: ['END'],
        candidateCount: 2,
        presencePenalty: 0.5,
        frequencyPenalty: -0.25,
        seed: 7,
      },
    });
  });

  it('takes max_completion_tokens and a list of stop sequences', async () => {
    const captured = await sent({ max_completion_tokens: 100, stop: ['a', 'b'], temperature: 0 });
    expect(captured.body.generationConfig).to.deep.equal({ maxOutputTokens: 100, stopSequences: ['a', 'b'], temperature: 0 });
  });

  it('passes unknown parameters through and merges a caller’s generationConfig under the translated one', async () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
    const request = {
      safetySettings,
      generationConfig: { thinkingConfig: { thinkingBudget: 0 }, temperature: 0.1 },
      temperature: 0.7,
    };
    const captured = await sent(request);
    expect(captured.body).to.deep.equal({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      safetySettings,
      generationConfig: { thinkingConfig: { thinkingBudget: 0 }, temperature: 0.7 },
    });
    // The caller's objects are not modified.
    expect(request.generationConfig).to.deep.equal({ thinkingConfig: { thinkingBudget: 0 }, temperature: 0.1 });
  });

  it('maps image parts: data: URLs to inlineData, http(s) URLs to fileData', async () => {
    const captured = await sent({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these images?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
            { type: 'image_url', image_url: { url: 'data:image/jpg;base64,/9j/4AAQSkZJRg==', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/photos/cat.JPG?size=large' } },
            { type: 'image_url', image_url: { url: 'https://example.com/render' } },
          ],
        },
      ],
    });
    expect(captured.body.contents).to.deep.equal([
      {
        role: 'user',
        parts: [
          { text: 'What is in these images?' },
          { inlineData: { mimeType: 'image/png', data: PNG_BASE64 } },
          { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
          { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/photos/cat.JPG?size=large' } },
          { fileData: { fileUri: 'https://example.com/render' } },
        ],
      },
    ]);
  });

  it('maps audio and file parts to inlineData', async () => {
    const captured = await sent({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQ=' } },
          ],
        },
      ],
    });
    expect(captured.body.contents).to.deep.equal([
      {
        role: 'user',
        parts: [{ inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } }, { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0xLjQ=' } }],
      },
    ]);
  });

  it('rejects an image URL that is neither data: nor http(s), naming the part and the provider', async () => {
    const error = await rejection(
      mock.provider.chat!(
        { model: MODEL, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://example.com/a.png' } }] }] },
        callContext(),
      ),
    );
    expect(error.status).to.equal(400);
    expect(error.param).to.equal('messages[0].content[0].image_url.url');
    expect(error.message).to.contain('provider gemini');
  });

  it('declares tools as functionDeclarations, rewriting their JSON schemas into Gemini’s subset', async () => {
    const captured = await sent({
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Get the weather for a city.',
            strict: true,
            parameters: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              additionalProperties: false,
              properties: {
                location: { type: 'string', description: 'City name', format: 'city' },
                unit: { type: ['string', 'null'], enum: ['celsius', 'fahrenheit', null] },
                days: { type: 'integer', minimum: 1, maximum: 7, enum: [1, 3, 7] },
                when: { type: 'string', format: 'date-time' },
                tags: { type: 'array', items: { $ref: '#/$defs/tag' } },
                mode: { const: 'fast' },
                extra: { anyOf: [{ type: 'object', properties: { note: { type: 'string' } }, additionalProperties: false }, { type: 'null' }] },
              },
              required: ['location', 'ghost'],
              $defs: { tag: { type: 'string', description: 'A tag' } },
            },
          },
        },
        // No description, no parameters: must still work.
        { type: 'function', function: { name: 'get_time' } },
        // Parameters without properties: Gemini rejects an empty OBJECT schema, so none is sent.
        { type: 'function', function: { name: 'ping', description: '', parameters: { type: 'object', properties: {}, additionalProperties: false } } },
      ],
    });
    expect(captured.body.tools).to.deep.equal([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Get the weather for a city.',
            parameters: {
              type: 'object',
              properties: {
                location: { type: 'string', description: 'City name' },
                unit: { type: 'string', enum: ['celsius', 'fahrenheit'], nullable: true },
                days: { type: 'integer', minimum: 1, maximum: 7, description: 'Allowed values: 1, 3, 7.' },
                when: { type: 'string', format: 'date-time' },
                tags: { type: 'array', items: { type: 'string', description: 'A tag' } },
                mode: { type: 'string', enum: ['fast'] },
                extra: { nullable: true, type: 'object', properties: { note: { type: 'string' } } },
              },
              required: ['location'],
            },
          },
          { name: 'get_time' },
          { name: 'ping' },
        ],
      },
    ]);
    expect(captured.body).to.not.have.property('toolConfig');
  });

  for (const [choice, config] of [
    ['auto', { functionCallingConfig: { mode: 'AUTO' } }],
    ['required', { functionCallingConfig: { mode: 'ANY' } }],
    ['none', { functionCallingConfig: { mode: 'NONE' } }],
    [{ type: 'function', function: { name: 'get_time' } }, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } }],
  ] as const) {
    it(`maps tool_choice ${JSON.stringify(choice)} to toolConfig`, async () => {
      const captured = await sent({ tools: [{ type: 'function', function: { name: 'get_time' } }], tool_choice: choice as ChatRequest['tool_choice'] });
      expect(captured.body.toolConfig).to.deep.equal(config);
    });
  }

  it('leaves tool_choice out when there are no tools', async () => {
    const captured = await sent({ tool_choice: 'required' });
    expect(captured.body).to.not.have.property('toolConfig');
    expect(captured.body).to.not.have.property('tools');
  });

  it('sends assistant tool calls as functionCall parts and tool results as functionResponse parts named by the call', async () => {
    const captured = await sent({
      messages: [
        { role: 'user', content: 'Weather in Paris and Tokyo, and the time?' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
              extra_content: { google: { thought_signature: 'c2lnbmF0dXJl' } },
            } as never,
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Tokyo"}' } },
            { id: 'call_3', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temperature": 18, "unit": "celsius"}' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'Sunny, 24 degrees' }] },
        { role: 'tool', tool_call_id: 'call_3', content: '"12:00"' },
        { role: 'assistant', content: 'Paris 18°C, Tokyo sunny 24°C; it is noon.' },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(captured.body.contents).to.deep.equal([
      { role: 'user', parts: [{ text: 'Weather in Paris and Tokyo, and the time?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { location: 'Paris' } }, thoughtSignature: 'c2lnbmF0dXJl' },
          { functionCall: { name: 'get_weather', args: { location: 'Tokyo' } } },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temperature: 18, unit: 'celsius' } } },
          { functionResponse: { name: 'get_weather', response: { output: 'Sunny, 24 degrees' } } },
          { functionResponse: { name: 'get_time', response: { output: '12:00' } } },
        ],
      },
      { role: 'model', parts: [{ text: 'Paris 18°C, Tokyo sunny 24°C; it is noon.' }] },
      { role: 'user', parts: [{ text: 'Thanks' }] },
    ]);
  });

  it('rejects a tool message whose tool_call_id matches no earlier tool call', async () => {
    const error = await rejection(
      mock.provider.chat!(
        {
          model: MODEL,
          messages: [
            { role: 'user', content: 'Hi' },
            { role: 'tool', tool_call_id: 'call_missing', content: 'x' },
          ],
        },
        callContext(),
      ),
    );
    expect(error.status).to.equal(400);
    expect(error.param).to.equal('messages[1].tool_call_id');
    expect(error.message).to.contain('call_missing');
  });

  it('rejects tool call arguments that are not a JSON object', async () => {
    const error = await rejection(
      mock.provider.chat!(
        {
          model: MODEL,
          messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1,2]' } }] }],
        },
        callContext(),
      ),
    );
    expect(error.param).to.equal('messages[0].tool_calls[0].function.arguments');
  });

  it('asks for JSON with response_format json_object', async () => {
    const captured = await sent({ response_format: { type: 'json_object' } });
    expect(captured.body.generationConfig).to.deep.equal({ responseMimeType: 'application/json' });
  });

  it('adds a responseSchema in Gemini’s subset for response_format json_schema', async () => {
    const captured = await sent({
      temperature: 0.2,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'recipes',
          strict: true,
          schema: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: { recipeName: { type: 'string' }, ingredients: { type: 'array', items: { type: 'string' } } },
              required: ['recipeName', 'ingredients'],
              propertyOrdering: ['recipeName', 'ingredients'],
            },
          },
        },
      },
    });
    expect(captured.body.generationConfig).to.deep.equal({
      temperature: 0.2,
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'array',
        items: {
          type: 'object',
          properties: { recipeName: { type: 'string' }, ingredients: { type: 'array', items: { type: 'string' } } },
          required: ['recipeName', 'ingredients'],
          propertyOrdering: ['recipeName', 'ingredients'],
        },
      },
    });
  });

  it('sends nothing for response_format text', async () => {
    const captured = await sent({ response_format: { type: 'text' } });
    expect(captured.body).to.not.have.property('generationConfig');
  });

  for (const [name, extra, param] of [
    ['logit_bias', { logit_bias: { '50256': -100 } }, 'logit_bias'],
    ['logprobs', { logprobs: true }, 'logprobs'],
    ['functions', { functions: [{ name: 'f' }] }, 'functions'],
    ['reasoning_effort', { reasoning_effort: 'high' }, 'reasoning_effort'],
    ['audio output', { modalities: ['text', 'audio'] }, 'modalities'],
    ['an unknown response_format', { response_format: { type: 'yaml' } }, 'response_format.type'],
    ['a role it cannot map', { messages: [{ role: 'function', content: 'x', name: 'f' }] }, 'messages[0].role'],
  ] as const) {
    it(`rejects ${name} with a 400 naming the parameter and the provider, before any upstream call`, async () => {
      const error = await rejection(mock.provider.chat!({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], ...extra } as ChatRequest, callContext()));
      expect(error.status).to.equal(400);
      expect(error.code).to.equal('GW_ERR_BAD_REQUEST');
      expect(error.param).to.equal(param);
      expect(error.message).to.contain('provider gemini');
    });
  }
});

describe('gemini: options and URLs', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('declares the key as a secret and validates the options with its schema', async () => {
    expect(provider.id).to.equal('gemini');
    expect(provider.secretOptions).to.deep.equal(['gemini_api_key']);
    const schema = provider.optionsSchema as { required: string[]; properties: Record<string, { default?: string }> };
    expect(schema.required).to.deep.equal(['gemini_api_key']);
    expect(schema.properties.gemini_api_base!.default).to.equal('https://generativelanguage.googleapis.com/v1beta');
    expect(DEFAULT_API_BASE).to.equal('https://generativelanguage.googleapis.com/v1beta');
  });

  it('fails to start without a key or a model, without echoing secrets', async () => {
    const noKey = await rejection(instance(mock.agent, {}));
    expect(noKey.code).to.equal('GW_ERR_CONFIG_INVALID');
    expect(noKey.message).to.contain('gemini_api_key');
    const noModel = await rejection(instance(mock.agent, { gemini_api_key: API_KEY }, ''));
    expect(noModel.code).to.equal('GW_ERR_CONFIG_INVALID');
    expect(noModel.message).to.not.contain(API_KEY);
  });

  it('uses gemini_api_base (a trailing slash is fine) and accepts a model written as models/…', async () => {
    const p = await instance(mock.agent, { gemini_api_key: API_KEY, gemini_api_base: 'http://gemini-proxy.internal:8080/google/v1beta/' }, 'models/gemini-1.5-pro-002');
    const captured = intercept(mock.agent, '/google/v1beta/models/gemini-1.5-pro-002:generateContent', { body: fixture('generate-text.jsonc') }, 'http://gemini-proxy.internal:8080');
    await p.chat!({ model: 'models/gemini-1.5-pro-002', messages: [{ role: 'user', content: 'Hi' }] }, callContext());
    expect(captured.calls).to.equal(1);
    expect(captured.headers['x-goog-api-key']).to.equal(API_KEY);
  });

  it('builds the four method URLs once, with alt=sse for streams and the model id encoded as one segment', () => {
    expect(geminiUrls('https://generativelanguage.googleapis.com/v1beta', 'gemini-2.0-flash')).to.deep.equal({
      generate: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent',
      stream: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
      embed: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:embedContent',
      batchEmbed: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:batchEmbedContents',
    });
    expect(geminiUrls('https://x/v1beta', 'tunedModels/my-model').generate).to.equal('https://x/v1beta/tunedModels/my-model:generateContent');
    expect(geminiUrls('https://x/v1beta', 'a/../b?c').generate).to.equal('https://x/v1beta/models/a%2F..%2Fb%3Fc:generateContent');
  });
});
