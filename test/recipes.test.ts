// The SDK recipes in examples/recipes, each run as a child process against a gateway on the
// quickstart config, as a user runs them: `GATEHOUSE_URL=... node <recipe>.mjs`.
import { expect } from 'chai';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestGateway, type TestGateway } from '@gatehousejs/core/testing';
import { cleanEnv, runNode } from './helpers/cli.js';
import { QUICKSTART, REPO_ROOT } from './helpers/paths.js';

const RECIPES = path.join(REPO_ROOT, 'examples', 'recipes');
const ANSWER_TO = (prompt: string) => `This is a mock response from Gatehouse to: ${prompt}`;

describe('examples/recipes against the quickstart gateway', function () {
  let gw: TestGateway;

  before(async function () {
    gw = await startTestGateway({ configPath: QUICKSTART, watch: false });
  });

  after(async function () {
    await gw?.close();
  });

  async function run(file: string, cwd = REPO_ROOT): Promise<string> {
    const result = await runNode([file], cwd, 30_000, cleanEnv({ GATEHOUSE_URL: gw.url, GATEHOUSE_API_KEY: undefined }));
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    return result.stdout;
  }

  it('openai-sdk.mjs: chat, a streamed chat and embeddings', async function () {
    expect(await run(path.join(RECIPES, 'openai-sdk.mjs'))).to.equal(
      [`plain: ${ANSWER_TO('Hello from the OpenAI SDK')}`, `streamed: ${ANSWER_TO('Stream to the OpenAI SDK')}`, 'embeddings: 2 vectors of 8 dimensions', ''].join('\n'),
    );
  });

  it('vercel-ai-sdk.mjs: generateText and streamText', async function () {
    expect(await run(path.join(RECIPES, 'vercel-ai-sdk.mjs'))).to.equal(
      [`plain: ${ANSWER_TO('Hello from the Vercel AI SDK')}`, `streamed: ${ANSWER_TO('Stream to the Vercel AI SDK')}`, ''].join('\n'),
    );
  });

  it('langchain.mjs: invoke and stream', async function () {
    expect(await run(path.join(RECIPES, 'langchain.mjs'))).to.equal(
      [`plain: ${ANSWER_TO('Hello from LangChain')}`, `streamed: ${ANSWER_TO('Stream to LangChain')}`, ''].join('\n'),
    );
  });

  // The SDK is installed here under aliases (one per major version); the recipe imports it as
  // users have it, `@anthropic-ai/sdk`, from a directory where that name is the alias.
  for (const alias of ['anthropic-sdk-0', 'anthropic-sdk-1']) {
    it(`anthropic-sdk.mjs (${alias}): messages.create and messages.stream on the mock chat endpoint`, async function () {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-recipe-'));
      try {
        await mkdir(path.join(dir, 'node_modules', '@anthropic-ai'), { recursive: true });
        await symlink(path.join(REPO_ROOT, 'node_modules', alias), path.join(dir, 'node_modules', '@anthropic-ai', 'sdk'), 'dir');
        await copyFile(path.join(RECIPES, 'anthropic-sdk.mjs'), path.join(dir, 'anthropic-sdk.mjs'));
        expect(await run(path.join(dir, 'anthropic-sdk.mjs'), dir)).to.equal(
          [`plain: ${ANSWER_TO('Hello from the Anthropic SDK')}`, `streamed: ${ANSWER_TO('Stream to the Anthropic SDK')}`, 'stop_reason: end_turn', ''].join('\n'),
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
