import type { PageProps } from './types';

export default function EndpointsPage(_props: PageProps) {
  return <section><h1>Endpoints</h1><p>Not built yet.</p></section>;
}
