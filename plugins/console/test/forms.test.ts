// The forms' finer points in Chromium: an edit keeps what the form does not show, each server
// complaint lands beside its field, and a route's form opens with what it holds.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestGateway } from '@gatehousejs/core/testing';
import { adminCall, launchBrowser, signedInPage, startConsoleGateway } from './helpers.js';

describe('console forms', function () {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  const fieldAlert = (form: string, field: string) => page.locator(`form[aria-labelledby="${form}"] [data-field="${field}"] [role="alert"]`);

  before(async () => {
    gateway = await startConsoleGateway();
    browser = await launchBrowser();
    page = await signedInPage(browser, gateway.url);
  });
  after(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('an endpoint edit keeps the settings the form does not show (retry, timeouts)', async () => {
    const entry = {
      name: 'tuned',
      endpoint_type: 'llm/v1/chat',
      model: { provider: 'mock', config: { response: 'tuned' } },
      retry: { attempts: 2 },
      timeouts: { total_seconds: 30 },
      fallbacks: ['chat'],
    };
    expect((await adminCall(gateway.url, 'POST', '/api/admin/endpoints', entry)).status).to.equal(201);
    await page.goto(`${gateway.url}/ui#/endpoints?edit=tuned`);
    const form = page.locator('form[aria-labelledby="endpoint-form-title"]');
    expect(await form.locator('input[name="fallbacks"]').inputValue()).to.equal('chat');
    await form.locator('input[name="model"]').fill('renamed-model');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('[role="status"]').getByText('Saved endpoint tuned').waitFor();
    const stored = (await adminCall(gateway.url, 'GET', '/api/admin/endpoints/tuned')).body;
    expect(stored).to.deep.include({ retry: { attempts: 2 }, timeouts: { total_seconds: 30 }, fallbacks: ['chat'] });
    expect(stored.model).to.deep.equal({ provider: 'mock', name: 'renamed-model', config: { response: 'tuned' } });
  });

  it('an endpoint naming a missing fallback, or a literal secret: the server says which field', async () => {
    await page.goto(`${gateway.url}/ui#/endpoints?new=1`);
    const form = page.locator('form[aria-labelledby="endpoint-form-title"]');
    await form.locator('input[name="name"]').fill('needs-backup');
    await form.locator('input[name="fallbacks"]').fill('nowhere');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await fieldAlert('endpoint-form-title', 'fallbacks').waitFor();
    expect(await fieldAlert('endpoint-form-title', 'fallbacks').textContent()).to.include('no endpoint named "nowhere"');

    await form.locator('input[name="fallbacks"]').fill('');
    await form.locator('textarea[name="config"]').fill('{"api_key": "sk-a-literal-value-0123456789"}');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await fieldAlert('endpoint-form-title', 'model.config').waitFor();
    expect(await fieldAlert('endpoint-form-title', 'model.config').textContent()).to.include('model.config.api_key').and.include('$secret:NAME');
    expect((await adminCall(gateway.url, 'GET', '/api/admin/endpoints/needs-backup')).status).to.equal(404);
  });

  it('a key with a bad expiry or limit: the message sits beside that field, and no key is made', async () => {
    await page.goto(`${gateway.url}/ui#/keys`);
    await page.getByRole('button', { name: 'New key' }).click();
    const form = page.locator('form[aria-labelledby="key-form-title"]');
    await form.locator('input[name="name"]').fill('bad-expiry');
    await form.locator('input[name="expires_at"]').fill('5 parsecs');
    await form.getByRole('button', { name: 'Create key' }).click();
    await fieldAlert('key-form-title', 'expires_at').waitFor();
    expect(await fieldAlert('key-form-title', 'expires_at').textContent()).to.include('expires_at');

    await form.locator('input[name="expires_at"]').fill('');
    await form.locator('input[name="limit_requests"]').fill('0');
    await form.getByRole('button', { name: 'Create key' }).click();
    await fieldAlert('key-form-title', 'limits.requests').waitFor();
    expect(await fieldAlert('key-form-title', 'expires_at').count()).to.equal(0);
    expect((await adminCall(gateway.url, 'GET', '/api/keys')).body.keys).to.deep.equal([]);
    expect(await page.locator('section.new-key').count()).to.equal(0);
  });

  it("a secret whose name is taken: the server's 409 beside the name", async () => {
    expect((await adminCall(gateway.url, 'POST', '/api/admin/secrets', { name: 'taken', value: 'first-value-0123456789' })).status).to.equal(201);
    await page.goto(`${gateway.url}/ui#/secrets`);
    await page.getByRole('button', { name: 'New secret' }).click();
    const form = page.locator('form[aria-labelledby="secret-form-title"]');
    await form.locator('input[name="name"]').fill('taken');
    await form.locator('input[name="value"]').fill('second-value-0123456789');
    await form.getByRole('button', { name: 'Save secret' }).click();
    await fieldAlert('secret-form-title', 'name').waitFor();
    expect(await fieldAlert('secret-form-title', 'name').textContent()).to.include('A secret named "taken" exists');
    expect(await page.content()).to.not.include('first-value-0123456789');
  });

  it("a route's edit form opens with its destinations and saves the change", async () => {
    const route = { name: 'half', task_type: 'llm/v1/chat', destinations: [{ name: 'chat', traffic_percentage: 50 }, { name: 'tuned', traffic_percentage: 50 }], routing_strategy: 'TRAFFIC_SPLIT' };
    expect((await adminCall(gateway.url, 'POST', '/api/admin/routes', route)).status).to.equal(201);
    await page.goto(`${gateway.url}/ui#/routes?edit=half`);
    const form = page.locator('form[aria-labelledby="route-form-title"]');
    expect(await form.locator('select[name="destination-0"]').inputValue()).to.equal('chat');
    expect(await form.locator('select[name="destination-1"]').inputValue()).to.equal('tuned');
    expect(await form.getByTestId('route-total').textContent()).to.include('100%');
    await form.getByRole('button', { name: 'Remove' }).nth(1).click();
    await form.locator('input[name="percent-0"]').fill('100');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('[role="status"]').getByText('Saved route half').waitFor();
    expect((await adminCall(gateway.url, 'GET', '/api/admin/routes/half')).body.destinations).to.deep.equal([{ name: 'chat', traffic_percentage: 100 }]);
  });

  it('labels every control and names every button on each page with its form open', async () => {
    const unlabelled = () =>
      page.evaluate(() => {
        const controls = Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('main input, main select, main textarea'));
        const missing = controls.filter((c) => (c.labels?.length ?? 0) === 0 && !c.getAttribute('aria-label')).map((c) => c.name);
        const silent = Array.from(document.querySelectorAll('button, a.button')).filter((b) => (b.textContent ?? '').trim() === '').map((b) => b.outerHTML);
        const headless = Array.from(document.querySelectorAll('main table')).filter((t) => t.querySelectorAll('th[scope="col"]').length === 0).length;
        return { checked: controls.length > 0, missing, silent, headless };
      });
    for (const [hash, open] of [
      ['endpoints?new=1', undefined],
      ['endpoints?try=chat', undefined],
      ['routes?new=1', undefined],
      ['keys', 'New key'],
      ['secrets', 'New secret'],
    ] as const) {
      await page.goto(`${gateway.url}/ui#/${hash}`);
      if (open) await page.getByRole('button', { name: open }).click();
      await page.locator('main form').first().waitFor();
      await page.waitForFunction(() => !document.querySelector('main [aria-busy="true"]'));
      expect(await unlabelled(), hash).to.deep.equal({ checked: true, missing: [], silent: [], headless: 0 });
    }
  });
});
