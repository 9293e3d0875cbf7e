import type { PageProps } from './types';

export default function KeysPage(_props: PageProps) {
  return <section><h1>Keys</h1><p>Not built yet.</p></section>;
}
