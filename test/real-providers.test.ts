// examples/real-providers.yaml is a valid config once its keys are in the environment;
// `gatehouse validate` builds every endpoint but calls no provider, so dummy keys do.
import { expect } from 'chai';
import { cleanEnv, runCli } from './helpers/cli.js';
import { REAL_PROVIDERS } from './helpers/paths.js';

const DUMMY = { OPENAI_API_KEY: 'sk-dummy-openai-for-validate', ANTHROPIC_API_KEY: 'sk-ant-dummy-for-validate' };

describe('examples/real-providers.yaml', function () {
  it('passes gatehouse validate with both keys set', async function () {
    const run = await runCli(['validate', '--config', REAL_PROVIDERS], cleanEnv(DUMMY));
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('OK: 4 endpoints');
  });

  for (const missing of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'] as const) {
    it(`fails naming ${missing} when it is unset`, async function () {
      const run = await runCli(['validate', '--config', REAL_PROVIDERS], cleanEnv({ ...DUMMY, [missing]: undefined }));
      expect(run.code).to.not.equal(0);
      expect(run.stderr).to.include(missing);
      expect(run.stderr).to.include(REAL_PROVIDERS);
      // The other key's value is never printed.
      for (const value of Object.values(DUMMY)) expect(run.stderr).to.not.include(value);
    });
  }
});
