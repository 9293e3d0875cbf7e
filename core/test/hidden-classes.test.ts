import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

describe('hot-path objects keep one hidden class (V8)', () => {
  it('request contexts, upstream call contexts, reply headers and request copies share a map and keep fast properties', async function () {
    this.timeout(20_000);
    const script = fileURLToPath(new URL('./hidden-classes-script.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--allow-natives-syntax', script]);
    const both = { sameMap: true, fast: true };
    expect(JSON.parse(stdout.trim())).to.deep.equal({ contexts: both, calls: both, replyHeaders: both, requestCopies: both });
  });
});
