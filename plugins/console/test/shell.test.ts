import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import type { TestGateway } from '@gatehousejs/core/testing';
import { ADMIN_KEY, launchBrowser, screenshot, signedInPage, startConsoleGateway } from './helpers.js';

describe('console: serving and sign-in', () => {
  let gateway: TestGateway;
  let browser: Browser;
  before(async () => {
    gateway = await startConsoleGateway();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('serves the page and its bundle from the gateway, with a content security policy and revalidation', async () => {
    const page = await fetch(`${gateway.url}/ui`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('content-security-policy')).to.include("script-src 'self'");
    const html = await page.text();
    expect(html).to.include('/ui/assets/app.js');
    const script = await fetch(`${gateway.url}/ui/assets/app.js`);
    expect(script.status).to.equal(200);
    const etag = script.headers.get('etag')!;
    const again = await fetch(`${gateway.url}/ui/assets/app.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).to.equal(304);
    const missing = await fetch(`${gateway.url}/ui/assets/nope.js`);
    expect(missing.status).to.equal(404);
  });

  it('refuses a wrong admin key and signs in with the right one', async () => {
    const page = await browser.newPage();
    await page.goto(`${gateway.url}/ui`);
    await page.fill('input[name="admin-key"]', 'not-the-key');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('[role="alert"]')).to.match(/key/i);
    await screenshot(page, 'sign-in-refused');
    await page.close();
    const signed = await signedInPage(browser, gateway.url);
    expect(await signed.textContent('nav')).to.include('Endpoints');
    await signed.close();
  });

  it('signs out: the key is forgotten and the sign-in form is back, also after a reload', async () => {
    const page = await signedInPage(browser, gateway.url);
    expect(await page.evaluate(() => sessionStorage.length)).to.equal(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('input[name="admin-key"]');
    expect(await page.evaluate(() => sessionStorage.length)).to.equal(0);
    await page.reload();
    await page.waitForSelector('input[name="admin-key"]');
    expect(await page.locator('nav').count()).to.equal(0);
    await page.close();
  });

  it('loads nothing from another origin on any page (no CDN: it works offline)', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(`${gateway.url}/`)) elsewhere.push(request.url());
    });
    await page.goto(`${gateway.url}/ui`);
    await page.fill('input[name="admin-key"]', ADMIN_KEY);
    await page.click('button[type="submit"]');
    for (const name of ['Endpoints', 'Routes', 'Keys', 'Secrets', 'Usage']) {
      await page.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1 }).filter({ hasText: name }).first().waitFor();
      await page.waitForLoadState('networkidle');
    }
    expect(elsewhere).to.deep.equal([]);
    await page.close();
  });

  it('sends the operator back to sign in when the gateway stops accepting the saved key', async () => {
    const page = await signedInPage(browser, gateway.url);
    // As if the admin key changed in the config since this tab signed in.
    await page.evaluate(() => sessionStorage.setItem('gatehouse.adminKey', 'an-admin-key-that-no-longer-works'));
    await page.reload();
    await page.waitForSelector('input[name="admin-key"]');
    expect(await page.textContent('[role="alert"]')).to.include('Signed out').and.include('Invalid admin key');
    expect(await page.evaluate(() => sessionStorage.length)).to.equal(0);
    await page.close();
  });

  it('keeps the bundle small: the script under 80 KiB gzipped, the stylesheet under 10 KiB', async () => {
    const script = Buffer.from(await (await fetch(`${gateway.url}/ui/assets/app.js`)).arrayBuffer());
    const style = Buffer.from(await (await fetch(`${gateway.url}/ui/assets/app.css`)).arrayBuffer());
    expect(gzipSync(script).length).to.be.below(80 * 1024);
    expect(gzipSync(style).length).to.be.below(10 * 1024);
  });
});
