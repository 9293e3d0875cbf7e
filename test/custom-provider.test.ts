// A third-party provider package (examples/custom-provider), installed into a deployment the
// way npm would, is discovered from the deployment's package.json and served; broken
// installs stop start-up with a message naming the package.
import { expect } from 'chai';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { runNode } from './helpers/cli.js';
import { createDeployment, type Deployment } from './helpers/deployment.js';
import { openAIClient, rejection } from './helpers/openai-client.js';
import { CUSTOM_PROVIDER_DIR, REPO_ROOT } from './helpers/paths.js';

const ECHO = 'gatehouse-provider-echo';

const ECHO_CONFIG = `endpoints:
  - name: echo
    endpoint_type: llm/v1/chat
    model:
      provider: echo
      name: echo-1
      config:
        prefix: "you said: "
  - name: shout
    endpoint_type: llm/v1/chat
    model:
      provider: echo
      config:
        uppercase: true
  - name: echo-embeddings
    endpoint_type: llm/v1/embeddings
    model:
      provider: echo
`;

/**
 * A deployment as `npm install @gatehousejs/core gatehouse-provider-echo ...` leaves it: core
 * linked to the repo's, the echo package copied. Core itself is a dependency without a
 * gatehousePlugin field, which discovery must ignore.
 */
async function deploymentWith(dependencies: string[]): Promise<Deployment> {
  const deployment = await createDeployment({ dependencies: ['@gatehousejs/core', ...dependencies], linkRepoModules: false });
  const modules = path.join(deployment.dir, 'node_modules');
  await mkdir(path.join(modules, '@gatehousejs'));
  await symlink(path.join(REPO_ROOT, 'core'), path.join(modules, '@gatehousejs', 'core'), 'dir');
  await cp(CUSTOM_PROVIDER_DIR, path.join(modules, ECHO), { recursive: true });
  return deployment;
}

/** Write a package into the deployment's node_modules. */
async function fakePackage(deployment: Deployment, name: string, manifest: unknown, index: string): Promise<void> {
  const pkg = { name, version: '1.0.0', type: 'module', exports: { '.': './index.js', './package.json': './package.json' }, gatehousePlugin: manifest };
  await deployment.write(`node_modules/${name}/package.json`, JSON.stringify(pkg, null, 2));
  await deployment.write(`node_modules/${name}/index.js`, index);
}

describe('a third-party provider package (examples/custom-provider)', function () {
  const deployments: Deployment[] = [];
  const track = (d: Deployment) => (deployments.push(d), d);

  after(async function () {
    for (const d of deployments) await d.remove();
  });

  describe('installed in a deployment', function () {
    let gw: TestGateway;
    let client: OpenAI;

    before(async function () {
      const deployment = track(await deploymentWith([ECHO]));
      const configPath = await deployment.write('gatehouse.config.yaml', ECHO_CONFIG);
      gw = await startTestGateway({ configPath, watch: false });
      client = openAIClient(gw.url);
    });

    after(async function () {
      await gw?.close();
    });

    it('is discovered and listed', async function () {
      const models = await client.models.list();
      expect(models.data.map((m) => [m.id, m.owned_by])).to.deep.include(['echo', 'echo']);
    });

    it('answers a chat with its configured prefix', async function () {
      const reply = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'hello there' }] });
      expect(reply.choices[0]!.message.content).to.equal('you said: hello there');
      expect(reply.model).to.equal('echo-1');
      expect(reply.usage).to.deep.equal({ prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 });
      const shout = await client.chat.completions.create({ model: 'shout', messages: [{ role: 'user', content: 'quiet' }] });
      expect(shout.choices[0]!.message.content).to.equal('ECHO: QUIET');
    });

    it('streams the same answer, word by word, with usage when asked', async function () {
      const stream = await client.chat.completions.create({
        model: 'echo',
        messages: [{ role: 'user', content: 'stream this please' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const deltas: string[] = [];
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        for (const choice of chunk.choices) {
          if (choice.delta.content) deltas.push(choice.delta.content);
          finish = choice.finish_reason ?? finish;
        }
        usage = chunk.usage ?? usage;
      }
      expect(deltas).to.deep.equal(['you ', 'said: ', 'stream ', 'this ', 'please']);
      expect(finish).to.equal('stop');
      expect(usage).to.deep.equal({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
    });

    it('streams on the MLflow route too', async function () {
      const res = await fetch(`${gw.url}/endpoints/echo/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'via mlflow' }], stream: true }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      expect(text).to.not.include('[DONE]');
      const content = text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => (JSON.parse(l.slice(6)) as any).choices[0]?.delta?.content ?? '')
        .join('');
      expect(content).to.equal('you said: via mlflow');
    });

    it('an endpoint type it does not implement is answered 501 by the gateway', async function () {
      const error = await rejection(client.embeddings.create({ model: 'echo-embeddings', input: 'x' }));
      expect(error.status).to.equal(501);
    });
  });

  it("its JSDoc types check against core's types (npm run typecheck)", async function () {
    this.timeout(60_000);
    const pkg = JSON.parse(await readFile(path.join(CUSTOM_PROVIDER_DIR, 'package.json'), 'utf8')) as { scripts: { typecheck: string } };
    const args = pkg.scripts.typecheck.split(' ').slice(1);
    const run = await runNode([path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], CUSTOM_PROVIDER_DIR, 50_000);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
  });

  describe('start-up errors', function () {
    /** Start from a deployment; the promise must reject. */
    async function startFails(deployment: Deployment, config = ECHO_CONFIG): Promise<any> {
      const configPath = await deployment.write('gatehouse.config.yaml', config);
      return rejection(startTestGateway({ configPath, watch: false }));
    }

    it('its options are validated against its optionsSchema', async function () {
      const error = await startFails(track(await deploymentWith([ECHO])), ECHO_CONFIG.replace('prefix:', 'prefx:'));
      expect(error.message).to.include('gatehouse.config.yaml');
      expect(error.message).to.include('/endpoints/0/model/config');
      expect(error.message).to.include('prefx');
    });

    it('a package listed in dependencies but not installed', async function () {
      const error = await startFails(track(await deploymentWith([ECHO, 'gatehouse-provider-missing'])));
      expect(error.code).to.equal('GW_ERR_PLUGIN_DEPENDENCY');
      expect(error.message).to.include('gatehouse-provider-missing');
    });

    it('a package whose export is a plain object, not made with defineProvider', async function () {
      const deployment = track(await deploymentWith([ECHO, 'gatehouse-provider-plain']));
      await fakePackage(deployment, 'gatehouse-provider-plain', { kind: 'provider', id: 'plain', apiVersion: 1 }, 'export default { id: "plain", apiVersion: 1, create() { return {}; } };\n');
      const config = `${ECHO_CONFIG}  - name: plain
    endpoint_type: llm/v1/chat
    model:
      provider: plain
`;
      const error = await startFails(deployment, config);
      expect(error.code).to.equal('GW_ERR_PLUGIN_BRAND');
      expect(error.message).to.include('gatehouse-provider-plain');
    });

    it('two packages with the same provider id', async function () {
      const deployment = track(await deploymentWith([ECHO, 'gatehouse-provider-echo-fork']));
      // A renamed copy of the echo package: same gatehousePlugin id.
      const fork = path.join(deployment.dir, 'node_modules', 'gatehouse-provider-echo-fork');
      await cp(CUSTOM_PROVIDER_DIR, fork, { recursive: true });
      const pkg = JSON.parse(await readFile(path.join(fork, 'package.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(path.join(fork, 'package.json'), JSON.stringify({ ...pkg, name: 'gatehouse-provider-echo-fork' }));
      const error = await startFails(deployment);
      expect(error.code).to.equal('GW_ERR_PLUGIN_DUPLICATE');
      expect(error.message).to.include('"echo"');
      expect(error.message).to.include(ECHO);
      expect(error.message).to.include('gatehouse-provider-echo-fork');
    });

    it('an unknown apiVersion', async function () {
      const deployment = track(await deploymentWith([ECHO, 'gatehouse-provider-future']));
      await fakePackage(deployment, 'gatehouse-provider-future', { kind: 'provider', id: 'future', apiVersion: 2 }, 'throw new Error("must not be imported");\n');
      const error = await startFails(deployment);
      expect(error.code).to.equal('GW_ERR_PLUGIN_API_VERSION');
      expect(error.message).to.include('gatehouse-provider-future');
      expect(error.message).to.include('apiVersion 2');
    });
  });
});
