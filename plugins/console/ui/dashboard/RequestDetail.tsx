// Everything recorded about one request: its fields, and its request and response bodies when
// payload recording (usage.record_bodies) was on.
import { useEffect } from 'preact/hooks';
import { formatCount, formatMs, formatTime, formatUsd } from './format';
import type { KeyLabel } from './key-names';
import type { UsageRecord } from './types';

type Row = readonly [label: string, value: string];

function fields(r: UsageRecord, keyLabel: KeyLabel): Row[] {
  const text = (v: string | null) => v ?? '—';
  const tokens = (v: number | null) => (v === null ? '—' : formatCount(v));
  return [
    ['Time', `${formatTime(r.time)} (${r.time})`],
    ['Record id', r.id],
    ['Request id', r.request_id],
    ['Status', String(r.status)],
    ['Error', r.error_type ? `${r.error_type}${r.error_code ? ` (${r.error_code})` : ''}` : '—'],
    ['Surface', r.surface],
    ['Route', text(r.route)],
    ['Endpoint', text(r.endpoint)],
    ['Endpoint type', text(r.endpoint_type)],
    ['Provider', text(r.provider)],
    ['Model', text(r.model)],
    ['Key', r.key ? keyLabel(r.key) : '—'],
    ['User', text(r.user)],
    ['Tags', r.tags && r.tags.length > 0 ? r.tags.join(', ') : '—'],
    ['Streamed', r.stream ? 'yes' : 'no'],
    ['Latency', formatMs(r.latency_ms)],
    ['Upstream', formatMs(r.upstream_ms)],
    ['Gateway overhead', formatMs(r.overhead_ms)],
    ['Time to first token', formatMs(r.ttft_ms)],
    ['Prompt tokens', tokens(r.prompt_tokens)],
    ['Completion tokens', tokens(r.completion_tokens)],
    ['Total tokens', `${tokens(r.total_tokens)}${r.tokens_estimated ? ' (estimated)' : ''}`],
    ['Cached tokens', tokens(r.cached_tokens)],
    ['Cost', r.cost_usd === null ? 'no price for this model' : formatUsd(r.cost_usd)],
  ];
}

function Payload(props: { title: string; name: string; body: unknown; recorded: boolean }) {
  const { body } = props;
  let content;
  if (!props.recorded) {
    content = <p class="dash-muted">Not recorded: payload recording is off (usage.record_bodies).</p>;
  } else if (body === null || body === undefined) {
    content = <p class="dash-muted">None (the request failed before an answer, or the answer had no body).</p>;
  } else if (typeof body === 'string') {
    // The store keeps bodies up to usage.max_body_bytes; a longer one is cut and no longer parses.
    content = (
      <>
        <p class="dash-muted">Cut at usage.max_body_bytes; shown as stored.</p>
        <pre>{body}</pre>
      </>
    );
  } else {
    content = <pre>{JSON.stringify(body, null, 2)}</pre>;
  }
  return (
    <section class="dash-payload" data-payload={props.name}>
      <h3>{props.title}</h3>
      {content}
    </section>
  );
}

export function RequestDetail(props: { record: UsageRecord; keyLabel: KeyLabel; onClose: () => void }) {
  const r = props.record;
  const { onClose } = props;
  useEffect(() => {
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    addEventListener('keydown', escape);
    return () => removeEventListener('keydown', escape);
  }, [onClose]);
  // Recording on stores the request body always; so two missing bodies mean it was off.
  const recorded = r.request_body !== null || r.response_body !== null;
  return (
    <aside class="dash-detail" aria-label="Request detail">
      <header>
        <h2>Request {r.request_id}</h2>
        <button type="button" onClick={props.onClose} aria-label="Close the request detail">
          Close
        </button>
      </header>
      <dl>
        {fields(r, props.keyLabel).map(([label, value]) => (
          <>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </>
        ))}
      </dl>
      <Payload title="Request payload" name="request" body={r.request_body} recorded={recorded} />
      <Payload title="Response payload" name="response" body={r.response_body} recorded={recorded} />
    </aside>
  );
}
