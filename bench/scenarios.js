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
    title: 'chat, streaming, frames paced like a model (latency = total stream time, TTFB = first content chunk)',
    path: '/v1/chat/completions',
    stream: true,
    // Frames arrive --chunk-delay ms apart (emulator path prefix /delay/<ms>): the throughput
    // is bound by the stream's pace, and a gateway that buffered would show in the TTFB.
    paced: true,
    directModel: 'gpt-4o-mini',
    gatewayModel: 'chat-stream',
    body: (model) => ({ model, messages: MESSAGES, temperature: 0.2, max_tokens: 64, stream: true, stream_options: { include_usage: true } }),
  },
  {
    name: 'chat-stream-burst',
    title: 'chat, streaming, the whole stream in one burst (CPU per stream)',
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

// Completions is legacy and the same path as chat, the burst stream a CPU probe: they run on request.
export const DEFAULT_SCENARIOS = ['chat', 'chat-stream', 'embeddings'];

export function scenarioByName(name) {
  return SCENARIOS.find((s) => s.name === name);
}

/** The path a target is sent: the paced stream reaches the emulator under /delay/<ms>. */
export function pathFor(scenario, target, chunkDelayMs) {
  return scenario.paced && target !== 'gateway' ? `/delay/${chunkDelayMs}${scenario.path}` : scenario.path;
}
