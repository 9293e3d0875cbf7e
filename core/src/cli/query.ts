// `gatehouse query ENDPOINT [PROMPT...]`: call an endpoint from the terminal through the
// TypeScript client, printing a chat or completions answer as it streams in.
import type { ChatRequest, CompletionsRequest, EndpointType } from '../api/openai-types.js';
import { createClient, GatehouseError, NotFoundError, type GatehouseClient, type PredictResponse, type PredictStreamChunk } from '../client/index.js';
import { parseArgs, stringFlag, type ParsedArgs } from './args.js';
import { QUERY_TYPES, queryInputs } from './query-inputs.js';

export interface QueryIO {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

const DEFAULT_URL = 'http://127.0.0.1:5000';

/** The endpoint's type from `--type`, else from the gateway's listing (which lists endpoints, not routes). */
async function endpointType(client: GatehouseClient, endpoint: string, args: ParsedArgs): Promise<EndpointType> {
  const given = stringFlag(args, 'type');
  if (given !== undefined) {
    const type = QUERY_TYPES[given];
    if (!type) throw new Error(`--type must be one of ${Object.keys(QUERY_TYPES).join(', ')}, got "${given}".`);
    return type;
  }
  try {
    return (await client.getEndpoint(endpoint)).endpoint_type;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new NotFoundError(`${error.message} (For a route, give its type with --type chat|completions|embeddings.)`, error);
  }
}

async function readPrompt(stdin: NodeJS.ReadStream, stderr: NodeJS.WritableStream): Promise<string> {
  if (stdin.isTTY) stderr.write('Type the prompt, then Ctrl-D.\n');
  let text = '';
  for await (const chunk of stdin) text += String(chunk);
  return text.trim();
}

function answerText(response: PredictResponse): string {
  if (response.object === 'list') {
    const dimensions = response.data[0]?.embedding.length ?? 0;
    return `${response.data.length} vector${response.data.length === 1 ? '' : 's'} of ${dimensions} dimensions`;
  }
  const choice = response.choices[0];
  if (!choice) return '';
  return 'text' in choice ? choice.text : (choice.message.content ?? JSON.stringify(choice.message.tool_calls ?? []));
}

function chunkText(chunk: PredictStreamChunk): string {
  const delta = chunk.choices[0]?.delta;
  return typeof delta?.content === 'string' ? delta.content : '';
}

export async function query(argv: readonly string[], io: QueryIO): Promise<number> {
  const args = parseArgs(argv, ['no-stream', 'json']);
  const [endpoint, ...words] = args.positional;
  if (!endpoint) throw new Error('query needs an endpoint: gatehouse query ENDPOINT [PROMPT...]');
  const client = createClient(stringFlag(args, 'url') ?? io.env.GATEHOUSE_URL ?? DEFAULT_URL, {
    apiKey: stringFlag(args, 'api-key') ?? io.env.GATEHOUSE_API_KEY,
  });
  try {
    const type = await endpointType(client, endpoint, args);
    const prompt = words.length > 0 ? words.join(' ') : args.flags.has('messages') ? undefined : await readPrompt(io.stdin, io.stderr);
    const inputs = queryInputs(type, prompt || undefined, args);
    if (args.flags.has('json') || args.flags.has('no-stream') || type === 'llm/v1/embeddings') {
      const response = await client.predict(endpoint, inputs);
      io.stdout.write(`${args.flags.has('json') ? JSON.stringify(response, null, 2) : answerText(response)}\n`);
      return 0;
    }
    // Embeddings never get here: they do not stream.
    for await (const chunk of client.predictStream(endpoint, inputs as ChatRequest | CompletionsRequest)) io.stdout.write(chunkText(chunk));
    io.stdout.write('\n');
    return 0;
  } catch (error) {
    if (!(error instanceof GatehouseError)) throw error;
    io.stderr.write(`gatehouse query: ${error.message}${error.status === undefined ? '' : ` (HTTP ${error.status})`}\n`);
    return 1;
  }
}
