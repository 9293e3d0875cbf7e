// LangChain JS (npm i @langchain/openai @langchain/core) against Gatehouse: ChatOpenAI with the
// gateway's base URL; the model is the endpoint's name.
import { ChatOpenAI } from '@langchain/openai';

const gatehouse = process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:5000';
const model = new ChatOpenAI({
  model: 'chat',
  apiKey: process.env.GATEHOUSE_API_KEY ?? 'unused',
  configuration: { baseURL: `${gatehouse}/v1` },
});

const reply = await model.invoke('Hello from LangChain');
console.log(`plain: ${reply.content}`);

process.stdout.write('streamed: ');
for await (const chunk of await model.stream('Stream to LangChain')) process.stdout.write(chunk.content);
process.stdout.write('\n');
