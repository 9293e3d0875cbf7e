import type { PageProps } from './types';

export default function UsagePage(_props: PageProps) {
  return <section><h1>Usage</h1><p>Not built yet.</p></section>;
}
