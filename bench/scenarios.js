// What is measured: each scenario is one request, sent once straight to the emulator (as a
// client of OpenAI would) and once through the gateway (model = the gateway's endpoint name).

const MESSAGES = [
  { role: 'system', content: 'You are a concise assistant. Answer in one sentence.' },
  { role: 'user', content: 'In one sentence, what does an AI gateway do?' },
];

export const SCENARIOS = [
  {
    name: 'chat',
    title: 'chat, non-streaming',
    path: '/v1/chat/completions',
    directModel: 'gpt-4o-mini',
    gatewayModel: 'chat',
    body: (model) => ({ model, messages: MESSAGES, temperature: 0.2, max_tokens: 64 }),
  },
  {
    name: 'chat-stream',
    title: 'chat, streaming (latency = total stream time, TTFB = first content chunk)',
    path: '/v1/chat/completions',
    stream: true,
    directModel: 'gpt-4o-mini',
    gatewayModel: 'chat',
    body: (model) => ({ model, messages: MESSAGES, temperature: 0.2, max_tokens: 64, stream: true, stream_options: { include_usage: true } }),
  },
  {
    name: 'embeddings',
    title: 'embeddings, one input, 1536 floats back',
    path: '/v1/embeddings',
    directModel: 'text-embedding-3-small',
    gatewayModel: 'embeddings',
    body: (model) => ({ model, input: 'Gatehouse routes every request to the configured provider.' }),
  },
  {
    name: 'completions',
    title: 'completions, non-streaming',
    path: '/v1/completions',
    directModel: 'gpt-4o-mini',
    gatewayModel: 'completions',
    body: (model) => ({ model, prompt: 'An AI gateway is', max_tokens: 64 }),
  },
];

// Completions is legacy and the same path as chat; it runs on request to keep the default run short.
export const DEFAULT_SCENARIOS = ['chat', 'chat-stream', 'embeddings'];

export function scenarioByName(name) {
  return SCENARIOS.find((s) => s.name === name);
}
