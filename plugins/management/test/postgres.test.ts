// Two gateway instances on one PostgreSQL schema: what one creates, the other serves within a
// few seconds (its refresh), secrets included; a removal follows the same way.
import { expect } from 'chai';
import type { TestGateway } from '@gatehousejs/core/testing';
import { admin, chat, dropSchemas, mockEndpoint, schemaName, startGateway, waitFor } from './helpers.js';

describe('two gateways on one PostgreSQL', function () {
  this.timeout(30_000);
  const schema = schemaName();
  let one: TestGateway;
  let two: TestGateway;

  before(async () => {
    one = await startGateway({ pgSchema: schema, management: { refresh_seconds: 0.5 } });
    two = await startGateway({ pgSchema: schema, management: { refresh_seconds: 0.5 } });
  });
  after(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await dropSchemas(schema);
  });

  it('serves on one what was created through the other, then drops it when removed', async () => {
    expect((await admin(one.url, 'POST', '/api/admin/secrets', { name: 'shared', value: 'shared answer' })).status).to.equal(201);
    expect((await admin(one.url, 'POST', '/api/admin/endpoints', mockEndpoint('everywhere', { response: '$secret:shared' }))).status).to.equal(201);
    await waitFor('the second gateway to serve the new endpoint', async () => (await chat(two.url, 'everywhere')).status === 200, 5000);
    expect((await chat(two.url, 'everywhere')).body.choices[0].message.content).to.equal('shared answer');
    expect((await admin(two.url, 'GET', '/api/admin/endpoints/everywhere')).body.source).to.equal('api');

    expect((await admin(two.url, 'DELETE', '/api/admin/endpoints/everywhere')).status).to.equal(200);
    await waitFor('the first gateway to drop it', async () => (await chat(one.url, 'everywhere')).status === 404, 5000);
  });
});
