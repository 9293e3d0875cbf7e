// The `gatehouse` CLI as a user runs it: a child process per case, every wait bounded, every
// child killed in an after hook if it is still running.
import { expect } from 'chai';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliProcess, cleanEnv, freePort, runCli } from './helpers/cli.js';
import { createDeployment, type Deployment } from './helpers/deployment.js';
import { QUICKSTART, REPO_ROOT } from './helpers/paths.js';
import { parseEvents, withTimeout } from './helpers/sse.js';

const mockEndpoint = (name: string, config = '{}') => `  - name: ${name}
    endpoint_type: llm/v1/chat
    model:
      provider: mock
      name: mock-chat
      config: ${config}
`;

describe('gatehouse CLI', function () {
  // Processes start slowly on a loaded 2-core machine (every bundled plugin loads): generous, not timed.
  this.timeout(60_000);
  const children: CliProcess[] = [];
  let deployment: Deployment;

  before(async function () {
    deployment = await createDeployment({ dependencies: ['@gatehousejs/provider-mock'] });
  });

  after(async function () {
    for (const child of children) await child.kill();
    await deployment?.remove();
  });

  /** Start `gatehouse start ...` on a free port and wait until it listens. */
  async function start(args: string[], env = cleanEnv(), listeners = 1): Promise<{ child: CliProcess; url: string }> {
    const port = await freePort();
    const child = new CliProcess(['start', ...args, '--host', '127.0.0.1', '--port', String(port)], env);
    children.push(child);
    await child.waitFor(`${listeners} listening line(s)`, () => child.listening().length >= listeners);
    return { child, url: `http://127.0.0.1:${port}` };
  }

  async function chat(url: string, model = 'chat'): Promise<any> {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'cli' }] }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).to.equal(200);
    return res.json();
  }

  async function stop(child: CliProcess): Promise<void> {
    child.signal('SIGTERM');
    expect(await child.exit()).to.deep.equal({ code: 0, signal: null });
  }

  it('start --config serves /health and the endpoints, and exits 0 on SIGTERM', async function () {
    const { child, url } = await start(['--config', QUICKSTART]);
    expect(child.listening()[0]!.gc).to.equal('parallel');
    const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
    expect(await health.json()).to.deep.equal({ status: 'OK' });
    expect((await chat(url)).choices[0].message.content).to.equal('This is a mock response from Gatehouse to: cli');
    await stop(child);
  });

  it("start --config-path (MLflow's flag) works too", async function () {
    const { child, url } = await start(['--config-path', QUICKSTART]);
    expect((await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) })).status).to.equal(200);
    await stop(child);
  });

  it('MLFLOW_DEPLOYMENTS_CONFIG names the config file when no flag is given', async function () {
    const configPath = await deployment.write('from-env.yaml', `endpoints:\n${mockEndpoint('from-env')}`);
    const { child, url } = await start([], cleanEnv({ MLFLOW_DEPLOYMENTS_CONFIG: configPath }));
    const models = (await (await fetch(`${url}/v1/models`, { signal: AbortSignal.timeout(5_000) })).json()) as any;
    expect(models.data.map((m: any) => m.id)).to.deep.equal(['from-env']);
    await stop(child);
  });

  describe('--workers 2', function () {
    let cluster: { child: CliProcess; url: string };

    before(async function () {
      cluster = await start(['--config', QUICKSTART, '--workers', '2'], cleanEnv(), 2);
    });

    it('runs two worker processes that serve requests', async function () {
      const pids = new Set(cluster.child.listening().map((line) => line.pid));
      expect(pids.size).to.equal(2);
      expect(pids.has(cluster.child.pid)).to.equal(false);
      const replies = await Promise.all(Array.from({ length: 8 }, () => chat(cluster.url)));
      expect(replies.every((r) => r.choices[0].message.content.endsWith('cli'))).to.equal(true);
    });

    it('collects garbage single-threaded in the workers when they fill every core, in parallel when cores are left', async function () {
      // The cores the CLI counts (affinity and cgroup quota), from the built module it uses.
      const module = pathToFileURL(path.join(REPO_ROOT, 'core', 'dist', 'src', 'cli', 'usable-cores.js')).href;
      const { usableCores } = (await import(module)) as { usableCores(): Promise<number> };
      const expected = (await usableCores()) <= 2 ? 'single-threaded' : 'parallel';
      expect(cluster.child.listening().map((line) => line.gc)).to.deep.equal([expected, expected]);
    });

    it('exits 0 on SIGTERM once the workers have stopped', async function () {
      await stop(cluster.child);
    });
  });

  it('SIGTERM lets an open stream finish with [DONE] before exiting 0', async function () {
    const configPath = await deployment.write('slow.yaml', `endpoints:\n${mockEndpoint('slow', '{ chunk_delay_ms: 100 }')}`);
    const { child, url } = await start(['--config', configPath]);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'a slow stream of words' }] }),
      signal: AbortSignal.timeout(20_000),
    });
    expect(res.status).to.equal(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    // The stream is open (first chunk read) when the signal arrives.
    let text = decoder.decode((await withTimeout(reader.read(), 5_000, 'first chunk')).value);
    child.signal('SIGTERM');
    for (let i = 0; i < 1000; i++) {
      const { done, value } = await withTimeout(reader.read(), 5_000, 'next chunk');
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const events = parseEvents(text);
    expect(events.at(-1)!.data).to.equal('[DONE]');
    const content = events.slice(0, -1).map((e) => (JSON.parse(e.data) as any).choices[0]?.delta?.content ?? '').join('');
    expect(content).to.equal('This is a mock response from Gatehouse to: a slow stream of words');
    expect(await child.exit()).to.deep.equal({ code: 0, signal: null });
  });

  it('start with a config that cannot load exits 1 with the reason', async function () {
    const configPath = await deployment.write('unknown-provider.yaml', 'endpoints:\n  - name: x\n    endpoint_type: llm/v1/chat\n    model:\n      provider: nope\n');
    const run = await runCli(['start', '--config', configPath, '--host', '127.0.0.1', '--port', String(await freePort())], cleanEnv());
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('unknown provider "nope"');
  });

  it('validate accepts a good config', async function () {
    const run = await runCli(['validate', '--config', QUICKSTART], cleanEnv());
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('OK: 3 endpoints');
  });

  it('validate rejects a bad config naming the file, the JSON pointer and what was expected', async function () {
    const bad = await deployment.write(
      'bad.yaml',
      'endpoints:\n  - name: chat\n    endpoint_type: llm/v1/chatt\n    model:\n      provider: mock\n    limit:\n      renewal_period: fortnight\n      calls: 10\n',
    );
    const run = await runCli(['validate', '--config', bad], cleanEnv());
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.include(bad);
    expect(run.stderr).to.include('/endpoints/0/endpoint_type');
    expect(run.stderr).to.include('llm/v1/chat"');
    expect(run.stderr).to.include('/endpoints/0/limit/renewal_period');
    expect(run.stderr).to.include('"minute"');
  });
});
