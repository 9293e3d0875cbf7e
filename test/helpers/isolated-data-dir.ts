// Loaded by mocha before any test (.mocharc.json "require"): the gateways these tests start
// discover the usage plugin from the root package.json, and must write their usage database
// to a throw-away directory, never to the user's real data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-e2e-data-'));
process.env.GATEHOUSE_DATA_DIR = dataDir;

export const mochaHooks = {
  afterAll(): void {
    rmSync(dataDir, { recursive: true, force: true });
  },
};
