import type { PageProps } from './types';

export default function RoutesPage(_props: PageProps) {
  return <section><h1>Routes</h1><p>Not built yet.</p></section>;
}
