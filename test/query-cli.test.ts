// `gatehouse query` as a user runs it: a child process per case against a real gateway on the
// mock provider, the prompt from arguments or stdin, streamed or as JSON, errors on stderr.
import { expect } from 'chai';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { CliProcess, cleanEnv, freePort, runCli } from './helpers/cli.js';

const ANSWER_TO = (prompt: string) => `This is a mock response from Gatehouse to: ${prompt}`;
const mock = (name: string, type: string, config: Record<string, unknown> = {}) => ({
  name,
  endpoint_type: `llm/v1/${type}`,
  model: { provider: 'mock', name: `mock-${type}`, config },
});

describe('gatehouse query', function () {
  let gw: TestGateway;
  const children: CliProcess[] = [];

  before(async function () {
    gw = await startTestGateway({
      watch: false,
      config: {
        endpoints: [
          mock('chat', 'chat'),
          mock('slow-chat', 'chat', { chunk_delay_ms: 200 }),
          mock('completions', 'completions'),
          mock('embeddings', 'embeddings', { embedding_dimensions: 8 }),
        ],
        routes: [{ name: 'chat-split', task_type: 'llm/v1/chat', destinations: [{ name: 'chat', traffic_percentage: 100 }], routing_strategy: 'TRAFFIC_SPLIT' }],
      },
    });
  });

  after(async function () {
    for (const child of children) await child.kill();
    await gw?.close();
  });

  const env = () => cleanEnv({ GATEHOUSE_URL: gw.url, GATEHOUSE_API_KEY: undefined });
  const query = (args: string[], input?: string) => runCli(['query', ...args], env(), 20_000, input);

  it('is listed by gatehouse help', async function () {
    const help = await runCli(['help'], env());
    expect(help.stdout).to.match(/^ {2}query {7}Call an endpoint/m);
  });

  it('chat: the prompt from the arguments, the answer on stdout', async function () {
    const run = await query(['chat', 'hello', 'from', 'the', 'shell']);
    expect(run.stderr).to.equal('');
    expect(run.stdout).to.equal(`${ANSWER_TO('hello from the shell')}\n`);
    expect(run.code).to.equal(0);
  });

  it('streams: the first words are on the terminal while the rest is still coming', async function () {
    const child = new CliProcess(['query', 'slow-chat', 'one', 'two', 'three'], env());
    children.push(child);
    await child.waitFor('the first words', () => child.stdout.startsWith('This '), 10_000);
    expect(child.running).to.equal(true);
    expect(await child.exit()).to.deep.equal({ code: 0, signal: null });
    expect(child.stdout).to.equal(`${ANSWER_TO('one two three')}\n`);
  });

  it('completions: the prompt from stdin, with --max-tokens', async function () {
    const run = await query(['completions', '--max-tokens', '3'], 'a prompt\nover two lines\n');
    expect(run.code).to.equal(0);
    expect(run.stdout).to.equal('This is a \n');
  });

  it('--json: the whole answer as JSON, with --system and --messages before the prompt', async function () {
    const messages = JSON.stringify([{ role: 'user', content: 'earlier' }, { role: 'assistant', content: 'noted' }]);
    const run = await query(['chat', '--system', 'be brief', '--messages', messages, '--temperature', '0.5', '--json', 'latest']);
    expect(run.code).to.equal(0);
    const reply = JSON.parse(run.stdout);
    expect(reply.object).to.equal('chat.completion');
    expect(reply.choices[0].message.content).to.equal(ANSWER_TO('latest'));
    // Four messages of one or two words each: the system text, two earlier turns and the prompt.
    expect(reply.usage.prompt_tokens).to.equal(5);
  });

  it('--no-stream prints the text once it is complete', async function () {
    const run = await query(['chat', '--no-stream', 'whole']);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.equal(`${ANSWER_TO('whole')}\n`);
  });

  it("embeddings: the vectors' count and dimensions, or the JSON", async function () {
    const run = await query(['embeddings', 'some', 'text']);
    expect(run.stdout).to.equal('1 vector of 8 dimensions\n');
    const json = await query(['embeddings', '--json', 'some text']);
    expect(JSON.parse(json.stdout).data[0].embedding).to.have.length(8);
  });

  it('a route needs --type (the listing has endpoints only)', async function () {
    const run = await query(['chat-split', '--type', 'chat', '--url', gw.url, 'routed']);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.equal(`${ANSWER_TO('routed')}\n`);
    const untyped = await query(['chat-split', 'routed']);
    expect(untyped.code).to.equal(1);
    expect(untyped.stderr).to.match(/--type/);
  });

  it("errors: exit code 1 with the gateway's message on stderr", async function () {
    const unknown = await query(['nope', 'hi']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stdout).to.equal('');
    expect(unknown.stderr).to.match(/^gatehouse query: No endpoint named "nope"\..*\(HTTP 404\)\n$/);
    const bad = await query(['chat', '--temperature', '7', 'hi']);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/^gatehouse query: .*'temperature'.*\(HTTP 400\)\n$/);
  });

  it('errors: an unreachable gateway, and no prompt at all', async function () {
    const down = await runCli(['query', 'chat', 'hi', '--url', `http://127.0.0.1:${await freePort()}`], env());
    expect(down.code).to.equal(1);
    expect(down.stderr).to.match(/^gatehouse query: Connection to the gateway failed/);
    const empty = await query(['chat'], '');
    expect(empty.code).to.equal(1);
    expect(empty.stderr).to.match(/No prompt/);
  });
});
