// Route patterns checked the way express mounts them (router's Layer: trailing slashes loosened,
// then path-to-regexp), without loading express: the app is built on first use (server.ts), but
// a pattern express could not mount still fails start-up, with path-to-regexp's own error.
import { match } from 'path-to-regexp';
import type { Gateway } from '../gateway.js';

const TRAILING_SLASH = /\/+$/;

export function checkRoutePatterns(paths: Iterable<string>): void {
  for (const path of paths) match(path === '/' ? path : path.replace(TRAILING_SLASH, ''), { trailing: true });
}

/** Where a plugin's route is served: its own path when absolute, else under /plugins/<id>. */
export function pluginMountPath({ plugin, route }: Gateway['pluginRoutes'][number]): string {
  return route.absolute ? route.path : `/plugins/${plugin}${route.path.startsWith('/') ? '' : '/'}${route.path}`;
}
