import { expect } from 'chai';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { estimateRequestTokens, estimateTokens } from '../src/index.js';
import { encodingFor } from '../src/tokens/encodings.js';
import { IMAGE_TOKENS, IMAGE_TOKENS_LOW, MESSAGE_OVERHEAD, NAME_OVERHEAD, REPLY_PRIMING } from '../src/tokens/estimate.js';

const text = 'The quick brown fox jumps over the lazy dog, twice: 🦊🦊. <|endoftext|> stays text.';
const asText = { disallowedSpecial: new Set<string>() };

describe('token estimator', () => {
  it('picks the encoding of OpenAI families, dated, prefixed and upper-case names included', () => {
    expect(encodingFor('gpt-4o-mini')).to.equal('o200k_base');
    expect(encodingFor('gpt-4o-mini-2031-01-01')).to.equal('o200k_base');
    expect(encodingFor('openai/GPT-4.1')).to.equal('o200k_base');
    expect(encodingFor('o3-mini')).to.equal('o200k_base');
    expect(encodingFor('gpt-oss-20b')).to.equal('o200k_base');
    expect(encodingFor('gpt-4')).to.equal('cl100k_base');
    expect(encodingFor('gpt-3.5-turbo-0125')).to.equal('cl100k_base');
    expect(encodingFor('text-embedding-3-small')).to.equal('cl100k_base');
  });

  it('leaves other models (and retired GPT-3 encodings) to the approximation', () => {
    for (const model of ['claude-3-5-haiku-latest', 'llama3.1', 'gemini-2.0-flash', 'text-davinci-003', 'my-azure-deployment', undefined]) {
      expect(encodingFor(model), String(model)).to.equal(undefined);
    }
  });

  it('counts OpenAI models with their encoding, special tokens as text', () => {
    expect(estimateTokens(text, 'gpt-4o')).to.equal(o200k(text, asText));
    expect(estimateTokens(text, 'gpt-4')).to.equal(cl100k(text, asText));
    expect(estimateTokens('', 'gpt-4o')).to.equal(0);
  });

  it('approximates every other model at four characters a token, rounded up', () => {
    expect(estimateTokens('abcdefghi')).to.equal(3);
    expect(estimateTokens('abcdefghi', 'claude-3-opus')).to.equal(3);
    expect(estimateTokens('a')).to.equal(1);
    expect(estimateTokens('')).to.equal(0);
  });

  it('counts a chat with OpenAI framing: per message, per name, reply priming', () => {
    const messages = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', name: 'ada', content: 'Hello there' },
    ];
    const expected = REPLY_PRIMING
      + 2 * MESSAGE_OVERHEAD + o200k('system') + o200k('user')
      + o200k('You are terse.') + NAME_OVERHEAD + o200k('ada') + o200k('Hello there');
    expect(estimateRequestTokens({ messages }, 'gpt-4o-mini')).to.equal(expected);
  });

  it('counts content parts, images, tool calls and tool definitions', () => {
    const tools = [{ type: 'function', function: { name: 'weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const request = {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:,' } }, { type: 'image_url', image_url: { url: 'data:,', detail: 'low' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
      ],
      tools,
    };
    const expected = REPLY_PRIMING + 2 * MESSAGE_OVERHEAD + o200k('user') + o200k('assistant')
      + o200k('What is this?') + IMAGE_TOKENS + IMAGE_TOKENS_LOW
      + o200k('weather') + o200k('{"city":"Paris"}')
      + o200k(JSON.stringify(tools));
    expect(estimateRequestTokens(request, 'gpt-4o')).to.equal(expected);
  });

  it('counts completions prompts and embeddings inputs, token arrays as they are', () => {
    expect(estimateRequestTokens({ prompt: 'Say hi' }, 'gpt-3.5-turbo-instruct')).to.equal(cl100k('Say hi'));
    expect(estimateRequestTokens({ prompt: ['abcd', 'abcdefgh'] }, 'llama')).to.equal(3);
    expect(estimateRequestTokens({ input: 'embed me' }, 'text-embedding-3-small')).to.equal(cl100k('embed me'));
    expect(estimateRequestTokens({ input: [1, 2, 3] }, 'text-embedding-3-small')).to.equal(3);
    expect(estimateRequestTokens({ input: [[1, 2], [3]] }, 'text-embedding-3-small')).to.equal(3);
  });
});
