// Hash routing (#/page?a=1&b=2): the gateway serves one page at /ui, and a reload or a shared
// link lands on the same view with the same filters.
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  readonly page: string;
  readonly params: Readonly<Record<string, string>>;
}

export function parseHash(hash: string): Location {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { page: path || 'endpoints', params: Object.fromEntries(new URLSearchParams(query)) };
}

export function href(page: string, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();
  return `#/${page}${query ? `?${query}` : ''}`;
}

export function navigate(page: string, params: Record<string, string | undefined> = {}): void {
  location.hash = href(page, params);
}

export function useLocation(): Location {
  const [where, setWhere] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => setWhere(parseHash(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return where;
}
