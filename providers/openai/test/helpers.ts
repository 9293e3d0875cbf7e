// Test plumbing of this package alone. The OpenAI wire-format fixtures and the mock-upstream
// helpers come from @gatehousejs/provider-openai-compatible/testing.
import { readFileSync } from 'node:fs';

/** Read a recorded stream or body from test/fixtures (the tests run from dist/test). */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
}
