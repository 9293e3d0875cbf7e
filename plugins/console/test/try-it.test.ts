// The "try it" panel on each endpoint type, streamed and not, and a failing upstream, in real
// Chromium. The admin key is the caller (the keys plugin accepts it on /v1 routes).
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestGateway } from '@gatehousejs/core/testing';
import { adminCall, FILE_ENDPOINTS, launchBrowser, signedInPage, startConsoleGateway, waitFor } from './helpers.js';

const ENDPOINTS = [
  ...FILE_ENDPOINTS,
  { name: 'emb', endpoint_type: 'llm/v1/embeddings', model: { provider: 'mock', name: 'mock-emb', config: { embedding_dimensions: 12 } } },
  { name: 'comp', endpoint_type: 'llm/v1/completions', model: { provider: 'mock', name: 'mock-comp', config: { response: 'completed text here' } } },
  { name: 'flaky', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', config: { response: 'one two three four five', faults: { fail_after_chunks: 2 } } } },
  { name: 'limited', endpoint_type: 'llm/v1/chat', model: { provider: 'mock', config: { faults: { status: 429, message: 'slow down please', retry_after: 1 } } } },
];

describe('console: try it on every endpoint type', function () {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  const panel = () => page.locator('section[aria-labelledby="try-title"]');
  const open = async (name: string) => {
    await page.goto(`${gateway.url}/ui#/endpoints?try=${name}`);
    await panel().waitFor();
  };

  before(async () => {
    gateway = await startConsoleGateway({ config: { endpoints: ENDPOINTS } });
    browser = await launchBrowser();
    page = await signedInPage(browser, gateway.url);
  });
  after(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('embeddings: shows the dimension count and the first values', async () => {
    await open('emb');
    expect(await panel().locator('input[name="stream"]').count()).to.equal(0);
    await panel().locator('textarea[name="try-input"]').fill('embed me');
    await panel().getByRole('button', { name: 'Send' }).click();
    const answer = panel().getByTestId('try-answer');
    await answer.waitFor();
    expect(await answer.textContent()).to.include('12 dimensions').and.match(/\[-?\d\.\d{4}, /);
    expect(await panel().getByTestId('try-figures').textContent()).to.match(/total \d+ ms/);
  });

  it('completions: a prompt, streamed and not', async () => {
    await open('comp');
    expect(await panel().textContent()).to.include('Prompt');
    await panel().locator('textarea[name="try-input"]').fill('Once upon a time');
    await panel().getByRole('button', { name: 'Send' }).click();
    await panel().getByTestId('try-figures').waitFor();
    expect(await panel().getByTestId('try-answer').textContent()).to.equal('completed text here');
    expect(await panel().getByTestId('try-figures').textContent()).to.include('first token');

    await panel().locator('input[name="stream"]').uncheck();
    await panel().getByRole('button', { name: 'Send' }).click();
    await panel().getByTestId('try-figures').waitFor();
    expect(await panel().getByTestId('try-answer').textContent()).to.equal('completed text here');
    const figures = await panel().getByTestId('try-figures').textContent();
    expect(figures).to.include('3 out');
    expect(figures).to.not.include('first token');
  });

  it('chat without streaming, and every try-it call lands in usage as "admin"', async () => {
    await open('chat');
    await panel().locator('input[name="stream"]').uncheck();
    await panel().getByRole('button', { name: 'Send' }).click();
    await panel().getByTestId('try-figures').waitFor();
    expect(await panel().getByTestId('try-answer').textContent()).to.equal('from the file');
    const records = await waitFor('the usage records', async () => {
      const reply = await adminCall(gateway.url, 'GET', '/api/usage/requests');
      const list = reply.body.records as { endpoint: string; key: string; stream: boolean }[];
      return list.length >= 4 && list;
    });
    expect(records.every((r) => r.key === 'admin')).to.equal(true);
    expect(records.map((r) => `${r.endpoint}:${r.stream}`)).to.include.members(['emb:false', 'comp:true', 'comp:false', 'chat:false']);
  });

  it("shows the gateway's error when the call fails", async () => {
    await open('limited');
    await panel().getByRole('button', { name: 'Send' }).click();
    const alert = panel().locator('[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('slow down please');
    expect(await panel().getByTestId('try-answer').count()).to.equal(0);
  });

  it('keeps the part of a stream that arrived and shows the error that cut it off', async () => {
    await open('flaky');
    await panel().getByRole('button', { name: 'Send' }).click();
    const alert = panel().locator('[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.match(/upstream|provider|stream/i);
    const partial = await panel().getByTestId('try-answer').textContent();
    expect(partial).to.have.length.above(0);
    expect('one two three four five'.startsWith(partial!)).to.equal(true);
    expect(partial).to.not.equal('one two three four five');
    expect(await panel().getByTestId('try-figures').count()).to.equal(0);
  });
});
