import type { PageProps } from './types';

export default function SecretsPage(_props: PageProps) {
  return <section><h1>Secrets</h1><p>Not built yet.</p></section>;
}
