// The console's shell: sign-in with the admin key, the navigation, and one page at a time.
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { createApi, forgetKey, rememberKey, savedKey, type Api, type ApiError } from './api';
import { href, useLocation } from './router';
import EndpointsPage from './pages/endpoints';
import KeysPage from './pages/keys';
import RoutesPage from './pages/routes';
import SecretsPage from './pages/secrets';
import UsagePage from './pages/usage';
import type { PageProps } from './pages/types';
import './styles.css';

const PAGES: ReadonlyArray<{ id: string; title: string; view: (props: PageProps) => preact.JSX.Element }> = [
  { id: 'endpoints', title: 'Endpoints', view: EndpointsPage },
  { id: 'routes', title: 'Routes', view: RoutesPage },
  { id: 'keys', title: 'Keys', view: KeysPage },
  { id: 'secrets', title: 'Secrets', view: SecretsPage },
  { id: 'usage', title: 'Usage', view: UsagePage },
];

function SignIn(props: { onSignedIn: (key: string) => void; notice: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(props.notice);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const api = createApi(key.trim());
    try {
      // Any admin route proves the key; this one is cheap.
      await api.get('/api/admin/endpoints');
      rememberKey(key.trim());
      props.onSignedIn(key.trim());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="signin" onSubmit={submit}>
      <h1>Gatehouse</h1>
      <label>
        Admin key
        <input name="admin-key" type="password" autocomplete="off" value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} required />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy || key.trim() === ''}>Sign in</button>
    </form>
  );
}

function App() {
  const [notice, setNotice] = useState<string | null>(null);
  // A key the gateway stops accepting (changed in the config) sends the operator back to sign in.
  const refused = (error: ApiError) => {
    forgetKey();
    setNotice(`Signed out: ${error.message}`);
    setApi(null);
  };
  const [api, setApi] = useState<Api | null>(() => {
    const key = savedKey();
    return key ? createApi(key, refused) : null;
  });
  const location = useLocation();
  if (!api) return <SignIn onSignedIn={(key) => (setNotice(null), setApi(createApi(key, refused)))} notice={notice} />;
  const page = PAGES.find((p) => p.id === location.page) ?? PAGES[0]!;
  const View = page.view;
  return (
    <div class="shell">
      <nav>
        <strong>Gatehouse</strong>
        {PAGES.map((p) => (
          <a href={href(p.id)} class={p.id === page.id ? 'active' : ''}>{p.title}</a>
        ))}
        <button
          class="link"
          onClick={() => {
            forgetKey();
            setApi(null);
          }}
        >
          Sign out
        </button>
      </nav>
      <main>
        <View api={api} location={location} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
