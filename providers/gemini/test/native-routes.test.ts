// The native route declarations core mounts, and Google's error model they answer errors in:
// https://cloud.google.com/apis/design/errors#http_mapping.
import { expect } from 'chai';
import type { NativeError } from '@gatehousejs/core';
import provider from '../src/index.js';
import { googleStatus } from '../src/native-routes.js';

const error = (status: number, message = 'No endpoint named "nope".'): NativeError => ({ status, code: 'GW_ERR_ENDPOINT_NOT_FOUND', type: 'invalid_request_error', message });

describe('gemini: native routes', () => {
  const routes = provider.nativeRoutes ?? [];
  const byHandler = (handler: string) => routes.find((r) => r.handler === handler)!;

  it('declares generateContent and streamGenerateContent under /gemini/v1beta/models/{endpoint}', () => {
    expect(routes.map((r) => [r.method, r.path, r.handler, r.endpointType])).to.deep.equal([
      ['POST', '/gemini/v1beta/models/:endpoint\\:generateContent', 'generateContent', 'llm/v1/chat'],
      ['POST', '/gemini/v1beta/models/:endpoint\\:streamGenerateContent', 'streamGenerateContent', 'llm/v1/chat'],
    ]);
    for (const route of routes) {
      expect(route.endpointFrom).to.deep.equal({ param: 'endpoint' });
      expect(route.credentials).to.deep.equal([{ header: 'x-goog-api-key' }, { query: 'key' }]);
    }
    expect(byHandler('generateContent').streamFrom).to.deep.equal({ always: false });
    expect(byHandler('streamGenerateContent').streamFrom).to.deep.equal({ always: true });
  });

  it("writes errors in Google's shape, and stream errors as one SSE event of it", () => {
    const route = byHandler('streamGenerateContent');
    const body = { error: { code: 404, message: 'No endpoint named "nope".', status: 'NOT_FOUND' } };
    expect(route.errorBody!(error(404))).to.deep.equal(body);
    expect(route.streamError!(error(404))).to.equal(`data: ${JSON.stringify(body)}\n\n`);
  });

  it("maps statuses to google.rpc.Code names, by class where Google names none", () => {
    const statuses = [400, 401, 403, 404, 413, 429, 500, 501, 502, 503, 504, 507];
    expect(statuses.map(googleStatus)).to.deep.equal([
      'INVALID_ARGUMENT',
      'UNAUTHENTICATED',
      'PERMISSION_DENIED',
      'NOT_FOUND',
      'INVALID_ARGUMENT',
      'RESOURCE_EXHAUSTED',
      'INTERNAL',
      'UNIMPLEMENTED',
      'UNAVAILABLE',
      'UNAVAILABLE',
      'DEADLINE_EXCEEDED',
      'INTERNAL',
    ]);
  });
});
