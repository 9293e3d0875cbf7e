// The web console at /ui: a static single-page app (bundled at build time) over the management,
// keys and usage APIs. It holds no state of its own; the admin key signs every call it makes.
import { createError, definePlugin, type PluginHttpRequest, type PluginHttpResponse } from '@gatehousejs/core';
import { loadAssets, type Asset } from './assets.js';

// The console runs only its own bundled code: no inline script, no other origin.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function serve(asset: Asset, request: PluginHttpRequest): PluginHttpResponse {
  const headers = { ...SECURITY_HEADERS, 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache' };
  if (request.headers['if-none-match'] === asset.etag) return { status: 304, headers, body: '' };
  return { headers, body: asset.body };
}

export default definePlugin<never>({
  id: 'console',
  apiVersion: 1,
  // Its pages are the management API (which brings usage and keys) seen in a browser.
  dependencies: ['management'],
  async setup(api) {
    const { index, files } = await loadAssets();
    const page = (request: PluginHttpRequest) => serve(index, request);
    api.http.route({ method: 'GET', path: '/ui', absolute: true, handler: page });
    api.http.route({ method: 'GET', path: '/ui/', absolute: true, handler: page });
    api.http.route({
      method: 'GET',
      path: '/ui/assets/:file',
      absolute: true,
      handler(request) {
        const asset = files.get(request.params.file!);
        if (!asset) throw createError('GW_ERR_ROUTE_NOT_FOUND', `No console file "${request.params.file}".`);
        return serve(asset, request);
      },
    });
  },
});
