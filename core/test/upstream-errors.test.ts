import { expect } from 'chai';
import { upstreamErrorMessage } from '../src/upstream/http.js';

describe('upstream error messages', () => {
  it("reads OpenAI's {error: {message, type}}, then plain message fields, then the text", () => {
    expect(upstreamErrorMessage('{"error":{"message":"bad model","type":"invalid_request_error"}}')).to.include({ message: 'bad model', type: 'invalid_request_error' });
    expect(upstreamErrorMessage('{"detail":"Not Found"}').message).to.equal('Not Found');
    expect(upstreamErrorMessage('upstream exploded').message).to.equal('upstream exploded');
  });

  it('names the field of a FastAPI/Pydantic validation error (AI21, TGI) and of one nested in message (Mistral)', () => {
    const fastapi = JSON.stringify({ detail: [{ loc: ['body', 'messages', 0, 'content'], msg: 'field required', type: 'value_error.missing' }] });
    expect(upstreamErrorMessage(fastapi).message).to.equal('body.messages.0.content: field required');
    const mistral = JSON.stringify({
      object: 'error',
      message: { detail: [{ type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: {} }, { type: 'float_type', loc: ['body', 'temperature'], msg: 'Input should be a valid number' }] },
      type: 'invalid_request_message_error',
      param: null,
      code: null,
    });
    expect(upstreamErrorMessage(mistral)).to.include({ message: 'body.messages: Field required; body.temperature: Input should be a valid number', type: 'invalid_request_message_error' });
    const many = JSON.stringify({ detail: Array.from({ length: 9 }, (_, i) => ({ loc: ['body', `f${i}`], msg: 'bad' })) });
    expect(upstreamErrorMessage(many).message.split('; ')).to.have.length(5);
    // A detail without messages falls back to the text, bounded.
    expect(upstreamErrorMessage('{"detail":[{"x":1}]}').message).to.equal('{"detail":[{"x":1}]}');
  });
});
