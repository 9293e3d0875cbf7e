// The Anthropic SDK (npm i @anthropic-ai/sdk) against Gatehouse's Messages route: only the base
// URL changes, and `model` is the Gatehouse endpoint's name. Any chat endpoint answers, whatever
// its provider: Gatehouse translates the Messages API onto it.
import Anthropic from '@anthropic-ai/sdk';

const gatehouse = process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:5000';
// The gateway holds the provider keys; this is your Gatehouse key if it has auth on.
const client = new Anthropic({ baseURL: `${gatehouse}/gateway/anthropic`, apiKey: process.env.GATEHOUSE_API_KEY ?? 'unused' });

const message = await client.messages.create({
  model: 'chat',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Hello from the Anthropic SDK' }],
});
console.log(`plain: ${message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')}`);

const stream = client.messages.stream({
  model: 'chat',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Stream to the Anthropic SDK' }],
});
process.stdout.write('streamed: ');
stream.on('text', (text) => process.stdout.write(text));
const final = await stream.finalMessage();
process.stdout.write(`\nstop_reason: ${final.stop_reason}\n`);
