// The Vercel AI SDK (npm i ai @ai-sdk/openai) against Gatehouse: an OpenAI provider with the
// gateway's base URL. `openai.chat(...)` picks the Chat Completions API (the provider's default
// is OpenAI's Responses API, which Gatehouse does not serve); the model is the endpoint's name.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';

const gatehouse = process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:5000';
const openai = createOpenAI({ baseURL: `${gatehouse}/v1`, apiKey: process.env.GATEHOUSE_API_KEY ?? 'unused' });

const { text } = await generateText({ model: openai.chat('chat'), prompt: 'Hello from the Vercel AI SDK' });
console.log(`plain: ${text}`);

const result = streamText({ model: openai.chat('chat'), prompt: 'Stream to the Vercel AI SDK' });
process.stdout.write('streamed: ');
for await (const delta of result.textStream) process.stdout.write(delta);
process.stdout.write('\n');
