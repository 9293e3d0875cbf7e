import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Each round of churn passes ~800 KB of payloads through the structure; one chain of obsolete
// hash tables (see IdTable) promotes most of them, ~16 MB over the run.
const MAX_RETAINED = 2 * 1024 * 1024;

describe('per-request bookkeeping leaves nothing for the young-generation GC to promote (V8)', () => {
  it('Deadlines and IdTable: dead entries hold no live payload after a full GC, unlike a Map with the same churn', async function () {
    this.timeout(30_000);
    const script = fileURLToPath(new URL('./gc-retention-script.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script]);
    const retained = JSON.parse(stdout.trim()) as { deadlines: number; idTable: number; map: number };
    const summary = JSON.stringify(retained);
    expect(retained.deadlines, summary).to.be.below(MAX_RETAINED);
    expect(retained.idTable, summary).to.be.below(MAX_RETAINED);
  });
});
