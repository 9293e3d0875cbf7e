// The individual requests behind a figure: newest first, a page at a time ("Load more" follows
// the API's cursor), and one request's detail beside the list (its id kept in the hash).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api';
import { activeFilters, apiQuery, resolveWindow, type Params, type Window } from './filters';
import { formatMs, formatTime, formatTokens, formatUsd } from './format';
import type { KeyLabel } from './key-names';
import { RequestDetail } from './RequestDetail';
import { Empty, Failure, Loading } from './Status';
import type { RecordsPage, UsageRecord } from './types';

const PAGE_SIZE = 50;

interface ListState {
  readonly window: Window | undefined;
  readonly records: readonly UsageRecord[];
  readonly next: string | null;
  readonly loading: boolean;
  readonly error: Error | undefined;
}

const START: ListState = { window: undefined, records: [], next: null, loading: true, error: undefined };

export function RequestsView(props: { api: Api; params: Params; refresh: number; keyLabel: KeyLabel; onChange: (changes: Record<string, string | undefined>) => void }) {
  const { api, params } = props;
  const filters = activeFilters(params);
  const key = JSON.stringify([filters, params.range ?? '', params.from ?? '', params.to ?? '', props.refresh]);
  const [list, setList] = useState<ListState>(START);
  // The list a page belongs to: a page that comes back after the filters changed is dropped.
  const listKey = useRef(key);
  listKey.current = key;

  // The window is fixed when the first page loads, so later pages continue the same list.
  const fetchPage = (window: Window, cursor: string | null) =>
    api.get<RecordsPage>(`/api/usage/requests?${apiQuery(filters, window, { limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) })}`);

  useEffect(() => {
    let current = true;
    const window = resolveWindow(params);
    setList({ ...START, window });
    fetchPage(window, null).then(
      (page) => current && setList({ window, records: page.records, next: page.next_cursor, loading: false, error: undefined }),
      (error: Error) => current && setList({ ...START, window, loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [key]);

  const loadMore = async () => {
    if (!list.window || !list.next) return;
    const started = key;
    setList((l) => ({ ...l, loading: true, error: undefined }));
    try {
      const page = await fetchPage(list.window, list.next);
      if (listKey.current === started) setList((l) => ({ ...l, records: [...l.records, ...page.records], next: page.next_cursor, loading: false }));
    } catch (error) {
      if (listKey.current === started) setList((l) => ({ ...l, loading: false, error: error as Error }));
    }
  };

  const selected = params.id ? list.records.find((r) => r.id === params.id) : undefined;
  const first = list.loading && list.records.length === 0;
  return (
    <div class={selected ? 'dash-requests with-detail' : 'dash-requests'}>
      <div class="dash-list">
        {list.window && (
          <p class="dash-muted dash-window">
            From {formatTime(new Date(list.window.from).toISOString())} to {formatTime(new Date(list.window.to).toISOString())}
          </p>
        )}
        {first && <Loading what="requests" />}
        {!first && list.records.length === 0 && !list.error && (
          <Empty>
            <p>
              <strong>No requests match these filters in this time range.</strong>
            </p>
          </Empty>
        )}
        {list.records.length > 0 && (
          <table class="dash-records">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Model</th>
                <th scope="col">Key</th>
                <th scope="col" class="num">Status</th>
                <th scope="col" class="num">Latency</th>
                <th scope="col" class="num">TTFT</th>
                <th scope="col" class="num">Tokens</th>
                <th scope="col" class="num">Cost</th>
              </tr>
            </thead>
            <tbody>
              {list.records.map((r) => (
                <tr
                  key={r.id}
                  data-record={r.id}
                  class={r.id === params.id ? 'clickable selected' : 'clickable'}
                  tabIndex={0}
                  onClick={() => props.onChange({ id: r.id })}
                  onKeyDown={(e) => e.key === 'Enter' && props.onChange({ id: r.id })}
                >
                  <td>{formatTime(r.time)}</td>
                  <td>{r.endpoint ?? r.route ?? '—'}</td>
                  <td>{r.model ?? '—'}</td>
                  <td>{r.key ? props.keyLabel(r.key) : '—'}</td>
                  <td class={r.status >= 400 ? 'num bad' : 'num'}>{r.status}</td>
                  <td class="num">{formatMs(r.latency_ms)}</td>
                  <td class="num">{r.stream ? formatMs(r.ttft_ms) : '—'}</td>
                  <td class="num" title={r.tokens_estimated ? 'estimated' : undefined}>{formatTokens(r.total_tokens)}</td>
                  <td class="num">{formatUsd(r.cost_usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.error && <Failure error={list.error} what="the requests" />}
        {list.next && (
          <button type="button" class="dash-more" onClick={loadMore} disabled={list.loading}>
            {list.loading ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
      {params.id && !selected && !first && (
        <p class="dash-muted" role="status">
          Request {params.id} is not among the loaded requests.
        </p>
      )}
      {selected && <RequestDetail record={selected} keyLabel={props.keyLabel} onClose={() => props.onChange({ id: undefined })} />}
    </div>
  );
}
