// "Try it" on one endpoint: a real request through the gateway (its limits, fallbacks and usage
// apply), the answer shown as it streams, then the time and the tokens.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api';
import type { EndpointEntry } from '../admin-types';
import { tryEmbeddings, tryText, type EmbeddingResult, type TextResult, type Tokens } from '../gateway/try-calls';
import { ErrorNote } from './notice';

const ms = (n: number | undefined) => (n === undefined ? '—' : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`);

function TokenLine(props: { tokens: Tokens | undefined }) {
  const t = props.tokens;
  if (!t) return <span>tokens: not reported</span>;
  return (
    <span>
      tokens: {t.prompt_tokens ?? '—'} in, {t.completion_tokens ?? '—'} out, {t.total_tokens ?? '—'} total
    </span>
  );
}

function Figures(props: { result: TextResult | EmbeddingResult }) {
  const r = props.result;
  return (
    <p class="figures" data-testid="try-figures">
      <span>total {ms(r.totalMs)}</span>
      {'firstTokenMs' in r && r.firstTokenMs !== undefined && <span>first token {ms(r.firstTokenMs)}</span>}
      <TokenLine tokens={r.tokens} />
    </p>
  );
}

export function TryIt(props: { api: Api; endpoint: EndpointEntry; onClose: () => void }) {
  const { api, endpoint } = props;
  const type = endpoint.endpoint_type;
  const embeddings = type === 'llm/v1/embeddings';
  const [input, setInput] = useState(embeddings ? 'The quick brown fox' : 'Say hello.');
  const [stream, setStream] = useState(true);
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState('');
  const [result, setResult] = useState<TextResult | EmbeddingResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const abort = useRef<AbortController | null>(null);
  // Leaving the panel cancels a request still streaming.
  useEffect(() => () => abort.current?.abort(), []);

  const send = async (event: Event) => {
    event.preventDefault();
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setBusy(true);
    setError(null);
    setResult(null);
    setText('');
    try {
      const done = embeddings
        ? await tryEmbeddings(api, endpoint.name, input, controller.signal)
        : await tryText(api, type, endpoint.name, input, stream, setText, controller.signal);
      setResult(done);
    } catch (e) {
      if (!controller.signal.aborted) setError(e as Error);
    } finally {
      if (abort.current === controller) setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="try-title">
      <header class="panel-head">
        <h2 id="try-title">Try it: {endpoint.name}</h2>
        <span class="muted">{type}</span>
        <button type="button" onClick={props.onClose}>Close</button>
      </header>
      <form class="try" onSubmit={send}>
        <label class="field wide">
          <span class="label">{type === 'llm/v1/chat' ? 'Message' : type === 'llm/v1/completions' ? 'Prompt' : 'Input text'}</span>
          <textarea name="try-input" rows={embeddings ? 2 : 3} value={input} onInput={(e) => setInput((e.target as HTMLTextAreaElement).value)} required />
        </label>
        <div class="actions">
          {!embeddings && (
            <label class="check">
              <input type="checkbox" name="stream" checked={stream} onChange={(e) => setStream((e.target as HTMLInputElement).checked)} /> Stream
            </label>
          )}
          <button type="submit" class="primary" disabled={busy || input.trim() === ''}>{busy ? 'Sending…' : 'Send'}</button>
          {busy && (
            <button type="button" onClick={() => abort.current?.abort()}>Stop</button>
          )}
        </div>
      </form>
      <ErrorNote error={error} />
      {!embeddings && (text || busy) && (
        <output class="answer" data-testid="try-answer" aria-live="polite" aria-busy={busy}>
          {text}
        </output>
      )}
      {embeddings && result && 'dimensions' in result && (
        <div class="answer" data-testid="try-answer">
          <p>
            <strong>{result.dimensions}</strong> dimensions
          </p>
          <code>[{result.first.map((v) => v.toFixed(4)).join(', ')}{result.dimensions > result.first.length ? ', …' : ''}]</code>
        </div>
      )}
      {result && <Figures result={result} />}
    </section>
  );
}
