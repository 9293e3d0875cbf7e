// Entries from the config file are shown but cannot be changed here: the badge says so.
import type { Source } from '../admin-types';

export function SourceBadge(props: { source: Source | 'store' | 'config' }) {
  const fromFile = props.source === 'file' || props.source === 'config';
  if (fromFile) return <span class="badge file" title="Change it in the config file">from config file</span>;
  return <span class="badge api">{props.source === 'store' ? 'issued' : 'API'}</span>;
}
