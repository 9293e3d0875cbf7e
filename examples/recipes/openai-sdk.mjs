// The official OpenAI SDK (npm i openai) against Gatehouse: only the base URL changes, and
// `model` is the Gatehouse endpoint's name.
import OpenAI from 'openai';

const gatehouse = process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:5000';
// The gateway holds the provider keys; this is your Gatehouse key if it has auth on.
const client = new OpenAI({ baseURL: `${gatehouse}/v1`, apiKey: process.env.GATEHOUSE_API_KEY ?? 'unused' });

const reply = await client.chat.completions.create({
  model: 'chat',
  messages: [{ role: 'user', content: 'Hello from the OpenAI SDK' }],
});
console.log(`plain: ${reply.choices[0].message.content}`);

const stream = await client.chat.completions.create({
  model: 'chat',
  messages: [{ role: 'user', content: 'Stream to the OpenAI SDK' }],
  stream: true,
});
process.stdout.write('streamed: ');
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
process.stdout.write('\n');

const vectors = await client.embeddings.create({ model: 'embeddings', input: ['a', 'b'] });
console.log(`embeddings: ${vectors.data.length} vectors of ${vectors.data[0].embedding.length} dimensions`);
