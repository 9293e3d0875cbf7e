// The console's pages in real headless Chromium against a real gateway (mock provider): an
// operator's session from sign-in to deleting what they made, each step checked both on the
// page and through the gateway's own APIs. The steps run in order on one signed-in tab.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestGateway } from '@gatehousejs/core/testing';
import { ADMIN_KEY, adminCall, launchBrowser, screenshot, startConsoleGateway, waitFor } from './helpers.js';

const NAME = 'console-chat';
const ANSWER = 'hello from the console';
const SECRET_VALUE = 'sk-console-test-0123456789-WXYZ';

describe('console pages: an operator session in Chromium', function () {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  const scriptErrors: Error[] = [];
  const row = (name: string) => page.locator(`tr[data-name="${name}"]`);
  const chat = (model: string, key = ADMIN_KEY) => adminCall(gateway.url, 'POST', '/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] }, key);

  before(async () => {
    gateway = await startConsoleGateway();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('pageerror', (error) => scriptErrors.push(error));
  });
  // A script error on the page fails the step that caused it.
  afterEach(() => expect(scriptErrors.splice(0).map(String)).to.deep.equal([]));
  after(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('signs in and lists the file endpoint read-only, marked as from the config file', async () => {
    await page.goto(`${gateway.url}/ui`);
    await page.fill('input[name="admin-key"]', ADMIN_KEY);
    await screenshot(page, 'sign-in');
    await page.click('button[type="submit"]');
    await row('chat').waitFor();
    expect(await row('chat').textContent()).to.include('from config file').and.include('mock-chat');
    expect(await row('chat').getByRole('link', { name: 'Try it' }).count()).to.equal(1);
    expect(await row('chat').getByRole('link', { name: 'Edit' }).count()).to.equal(0);
    expect(await row('chat').getByRole('button', { name: 'Delete' }).count()).to.equal(0);
    expect(await page.locator('table th[scope="col"]').allTextContents()).to.include.members(['Name', 'Type', 'Provider', 'Model', 'Source', 'Limit']);
    await screenshot(page, 'endpoints');
  });

  it('creates an endpoint on the mock provider through the form', async () => {
    await page.getByRole('link', { name: 'New endpoint' }).click();
    const form = page.locator('form[aria-labelledby="endpoint-form-title"]');
    await form.locator('input[name="name"]').fill(NAME);
    await form.locator('select[name="endpoint_type"]').selectOption('llm/v1/chat');
    await form.locator('input[name="provider"]').fill('mock');
    await form.locator('input[name="model"]').fill('mock-console');
    // Slow chunks, so the test can see the answer arrive in pieces.
    await form.locator('textarea[name="config"]').fill(JSON.stringify({ response: ANSWER, chunk_delay_ms: 150 }));
    await form.locator('input[name="limit_calls"]').fill('100');
    await form.locator('select[name="limit_period"]').selectOption('minute');
    await screenshot(page, 'endpoint-form');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await row(NAME).waitFor();
    expect(await page.locator('[role="status"]').textContent()).to.include(`Saved endpoint ${NAME}`);
    expect(await row(NAME).textContent()).to.include('API').and.include('100 / minute').and.include('mock-console');
    expect(await form.count()).to.equal(0);

    const stored = await adminCall(gateway.url, 'GET', `/api/admin/endpoints/${NAME}`);
    expect(stored.body).to.deep.include({ name: NAME, endpoint_type: 'llm/v1/chat', source: 'api', limit: { renewal_period: 'minute', calls: 100 } });
    expect(stored.body.model).to.deep.equal({ provider: 'mock', name: 'mock-console', config: { response: ANSWER, chunk_delay_ms: 150 } });
  });

  it('streams a chat answer in the try-it panel, then shows time and tokens', async () => {
    await row(NAME).getByRole('link', { name: 'Try it' }).click();
    const panel = page.locator('section[aria-labelledby="try-title"]');
    await panel.locator('textarea[name="try-input"]').fill('Who are you?');
    expect(await panel.locator('input[name="stream"]').isChecked()).to.equal(true);
    await panel.getByRole('button', { name: 'Send' }).click();
    const answer = panel.getByTestId('try-answer');
    // Part of the answer is on screen before the rest has arrived: it streamed.
    await page.waitForFunction(
      ([full]) => {
        const text = document.querySelector('[data-testid="try-answer"]')?.textContent ?? '';
        return text.length > 0 && text !== full && full!.startsWith(text);
      },
      [ANSWER],
      { polling: 10, timeout: 10_000 },
    );
    await panel.getByTestId('try-figures').waitFor();
    expect(await answer.textContent()).to.equal(ANSWER);
    expect(await panel.getByTestId('try-figures').textContent()).to.match(/total \d+ ms/).and.match(/first token \d+ ms/).and.include('4 out');
    await screenshot(page, 'try-it-answer');
  });

  it('records the try-it request in usage under the "admin" key, and shows it on the usage page', async () => {
    const record = await waitFor('the usage record', async () => {
      const reply = await adminCall(gateway.url, 'GET', `/api/usage/requests?endpoint=${NAME}`);
      return (reply.body.records as Record<string, unknown>[])[0];
    });
    expect(record).to.include({ endpoint: NAME, key: 'admin', status: 200, stream: true, provider: 'mock', completion_tokens: 4 });
    await page.goto(`${gateway.url}/ui#/usage?endpoint=${NAME}`);
    // Visible text (the filter's hidden <option>s hold the name too).
    await page.locator('main').getByText(NAME, { exact: true }).filter({ visible: true }).first().waitFor();
    await screenshot(page, 'usage-after-try-it');
  });

  it('edits the endpoint, and the gateway serves the change at once', async () => {
    await page.goto(`${gateway.url}/ui#/endpoints`);
    await row(NAME).getByRole('link', { name: 'Edit' }).click();
    const form = page.locator('form[aria-labelledby="endpoint-form-title"]');
    expect(await form.locator('input[name="name"]').isDisabled()).to.equal(true);
    expect(JSON.parse(await form.locator('textarea[name="config"]').inputValue())).to.deep.equal({ response: ANSWER, chunk_delay_ms: 150 });
    await form.locator('textarea[name="config"]').fill(JSON.stringify({ response: 'edited answer' }));
    await form.locator('input[name="limit_calls"]').fill('');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('[role="status"]').getByText(`Saved endpoint ${NAME}`).waitFor();
    expect(await row(NAME).textContent()).to.not.include('100 / minute');
    const reply = await chat(NAME);
    expect(reply.status).to.equal(200);
    expect(reply.body.choices[0].message.content).to.equal('edited answer');
    expect((await adminCall(gateway.url, 'GET', `/api/admin/endpoints/${NAME}`)).body).to.not.have.property('limit');
  });

  it('shows bad input next to the field at fault: the browser for bad JSON, the server for the rest', async () => {
    await page.getByRole('link', { name: 'New endpoint' }).click();
    const form = page.locator('form[aria-labelledby="endpoint-form-title"]');
    const fieldAlert = (field: string) => form.locator(`[data-field="${field}"] [role="alert"]`);

    await form.locator('input[name="name"]').fill('broken-one');
    await form.locator('textarea[name="config"]').fill('{"response": ');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    expect(await fieldAlert('model.config').textContent()).to.include('not valid JSON');

    // The provider's own schema, checked by the gateway, names the option.
    await form.locator('textarea[name="config"]').fill('{"no_such_option": 1}');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await page.waitForFunction(() => document.querySelector('[data-field="model.config"] [role="alert"]')?.textContent?.includes('no_such_option'));
    expect(await fieldAlert('model.config').textContent()).to.include('unknown key "no_such_option"');
    await screenshot(page, 'endpoint-form-error');

    // A name taken by the config file: the server's 409 beside the name.
    await form.locator('input[name="name"]').fill('chat');
    await form.locator('textarea[name="config"]').fill('{}');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await fieldAlert('name').waitFor();
    expect(await fieldAlert('name').textContent()).to.include('"chat" comes from the config file');
    expect(await form.locator('[data-field="model.config"] [role="alert"]').count()).to.equal(0);

    await form.getByRole('button', { name: 'Cancel' }).click();
    expect((await adminCall(gateway.url, 'GET', '/api/admin/endpoints')).body.endpoints.map((e: { name: string }) => e.name)).to.deep.equal(['chat', NAME]);
  });

  it('creates a traffic-split route, refusing percentages that do not add up to 100', async () => {
    await page.getByRole('link', { name: 'Routes', exact: true }).click();
    await page.getByRole('link', { name: 'New route' }).click();
    const form = page.locator('form[aria-labelledby="route-form-title"]');
    await form.locator('input[name="name"]').fill('console-split');
    await form.locator('select[name="destination-0"]').selectOption(NAME);
    await form.locator('input[name="percent-0"]').fill('60');
    await form.getByRole('button', { name: 'Add destination' }).click();
    await form.locator('select[name="destination-1"]').selectOption('chat');
    await form.locator('input[name="percent-1"]').fill('30');
    expect(await form.getByTestId('route-total').textContent()).to.include('90%').and.include('must be 100');
    await form.getByRole('button', { name: 'Create route' }).click();
    expect(await form.locator('fieldset [role="alert"]').textContent()).to.include('add up to 90');
    expect((await adminCall(gateway.url, 'GET', '/api/admin/routes/console-split')).status).to.equal(404);

    await form.locator('input[name="percent-1"]').fill('40');
    await form.getByRole('button', { name: 'Create route' }).click();
    await row('console-split').waitFor();
    expect(await row('console-split').textContent()).to.include(`${NAME} 60%, chat 40%`).and.include('API');
    await screenshot(page, 'routes');
    expect((await chat('console-split')).status).to.equal(200);
  });

  it('issues a key and shows its text once (copied to the clipboard), then revokes it', async () => {
    await page.getByRole('link', { name: 'Keys', exact: true }).click();
    await page.getByRole('button', { name: 'New key' }).click();
    const form = page.locator('form[aria-labelledby="key-form-title"]');
    await form.locator('input[name="name"]').fill('ci-bot');
    await form.locator('input[name="owner"]').fill('ci@example.com');
    await form.locator('input[name="endpoints"]').fill(NAME);
    await form.locator('input[name="expires_at"]').fill('30d');
    await form.getByRole('button', { name: 'Create key' }).click();
    const box = page.locator('section.new-key');
    await box.waitFor();
    const key = await box.locator('input[name="new-key"]').inputValue();
    expect(key).to.match(/^gh_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(await box.textContent()).to.include('shown only once');
    await screenshot(page, 'key-created');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway.url });
    await box.getByRole('button', { name: 'Copy', exact: true }).click();
    await box.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(key);
    // The key works, for what it was given.
    expect((await chat(NAME, key)).status).to.equal(200);
    expect((await chat('chat', key)).status).to.equal(403);

    await box.getByRole('button', { name: 'Done, I copied it' }).click();
    expect(await page.locator('section.new-key').count()).to.equal(0);
    expect(await page.content()).to.not.include(key);
    expect(await row('ci-bot').textContent()).to.include('ci@example.com').and.include(NAME).and.include('active');
    await screenshot(page, 'keys');

    await row('ci-bot').getByRole('button', { name: 'Revoke' }).click();
    await row('ci-bot').getByRole('button', { name: 'Revoke' }).click(); // the confirmation
    await page.locator('[role="status"]').getByText('Revoked key ci-bot').waitFor();
    expect(await row('ci-bot').textContent()).to.include('revoked');
    expect((await chat(NAME, key)).status).to.equal(401);
    // The admin key still calls through try-it's path now that auth is on.
    expect((await chat(NAME)).status).to.equal(200);
  });

  it('stores a secret and shows it masked only; rotates it; refuses to delete it while in use', async () => {
    await page.getByRole('link', { name: 'Secrets', exact: true }).click();
    await page.getByRole('button', { name: 'New secret' }).click();
    const form = page.locator('form[aria-labelledby="secret-form-title"]');
    expect(await form.locator('input[name="value"]').getAttribute('type')).to.equal('password');
    await form.locator('input[name="name"]').fill('console-secret');
    await form.locator('input[name="value"]').fill(SECRET_VALUE);
    await form.getByRole('button', { name: 'Save secret' }).click();
    await row('console-secret').waitFor();
    expect(await row('console-secret').textContent()).to.include('****WXYZ');
    expect(await page.content()).to.not.include(SECRET_VALUE);
    await screenshot(page, 'secrets');

    await row('console-secret').getByRole('button', { name: 'Rotate' }).click();
    await row('console-secret').locator('input[name="rotate-value"]').fill('sk-console-rotated-0123456789-ABCD');
    await row('console-secret').getByRole('button', { name: 'Rotate' }).click();
    await page.locator('[role="status"]').getByText('Rotated secret console-secret').waitFor();
    await row('console-secret').getByText('****ABCD').waitFor();

    // An endpoint that uses it (made through the API): the 409 is shown as the server words it.
    const user = { name: 'uses-secret', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', config: { response: '$secret:console-secret' } } };
    expect((await adminCall(gateway.url, 'POST', '/api/admin/endpoints', user)).status).to.equal(201);
    await row('console-secret').getByRole('button', { name: 'Delete' }).click();
    await row('console-secret').getByRole('button', { name: 'Delete' }).click();
    await page.locator('main [role="alert"]').waitFor();
    expect(await page.locator('main [role="alert"]').textContent()).to.include('is used by "uses-secret"');
    expect(await row('console-secret').count()).to.equal(1);
    expect((await adminCall(gateway.url, 'DELETE', '/api/admin/endpoints/uses-secret')).status).to.equal(200);
  });

  it('deletes the endpoint after its route, and the gateway answers 404 for it', async () => {
    await page.getByRole('link', { name: 'Endpoints', exact: true }).click();
    // The route still sends traffic to it: the server refuses, and says why.
    await row(NAME).getByRole('button', { name: 'Delete' }).click();
    await row(NAME).getByRole('button', { name: 'Delete' }).click();
    await page.locator('main > section > [role="alert"]').waitFor();
    expect(await page.locator('main > section > [role="alert"]').textContent()).to.include('console-split');
    expect(await row(NAME).count()).to.equal(1);

    await page.getByRole('link', { name: 'Routes', exact: true }).click();
    await row('console-split').getByRole('button', { name: 'Delete' }).click();
    await row('console-split').getByRole('button', { name: 'Delete' }).click();
    await page.locator('[role="status"]').getByText('Deleted route console-split').waitFor();

    await page.getByRole('link', { name: 'Endpoints', exact: true }).click();
    await row(NAME).getByRole('button', { name: 'Delete' }).click();
    await row(NAME).getByRole('group').getByRole('button', { name: 'Delete' }).click();
    await page.locator('[role="status"]').getByText(`Deleted endpoint ${NAME}`).waitFor();
    await row(NAME).waitFor({ state: 'detached' });
    expect(await row('chat').count()).to.equal(1);
    const gone = await chat(NAME);
    expect(gone.status).to.equal(404);
    expect((await adminCall(gateway.url, 'GET', `/api/admin/endpoints/${NAME}`)).status).to.equal(404);
  });
});
