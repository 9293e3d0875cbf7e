// The dashboard proper: totals, the charts over time and the four breakdowns, all for the
// filters and time range in the hash params.
import type { Api } from '../api';
import { href } from '../router';
import { Breakdown } from './Breakdown';
import { activeFilters, apiQuery, BUCKET_MS, DIMENSIONS, resolveWindow, withParams, type Dimension, type Params, type Window } from './filters';
import { formatCount, formatMs, formatPercent, formatTokens, formatUsd } from './format';
import type { KeyLabel } from './key-names';
import { Empty, Failure, Loading } from './Status';
import { TimeCharts } from './TimeCharts';
import type { Summary, SummaryGroup } from './types';
import { useLoad } from '../components/use-load';

interface OverviewData {
  readonly window: Window;
  readonly time: readonly SummaryGroup[];
  /** Over the whole range (group_by=none); undefined when nothing matched. */
  readonly latency: SummaryGroup['latency_ms'] | undefined;
  readonly breakdowns: Readonly<Record<Dimension, readonly SummaryGroup[]>>;
}

const TITLES: Readonly<Record<Dimension, string>> = { endpoint: 'By endpoint', model: 'By model', provider: 'By provider', key: 'By key' };

async function loadOverview(api: Api, params: Params): Promise<OverviewData> {
  const window = resolveWindow(params);
  const filters = activeFilters(params);
  const summary = (groupBy: string) => api.get<Summary>(`/api/usage/summary?${apiQuery(filters, window, { group_by: groupBy })}`).then((s) => s.groups);
  const [time, all, ...dims] = await Promise.all([summary(window.bucket), summary('none'), ...DIMENSIONS.map(summary)]);
  return { window, time: time!, latency: all![0]?.latency_ms, breakdowns: Object.fromEntries(DIMENSIONS.map((d, i) => [d, dims[i]!])) as OverviewData['breakdowns'] };
}

/** Totals add up over one breakdown: every request is in exactly one endpoint group (or none's). */
function totals(groups: readonly SummaryGroup[]) {
  const sum = (read: (g: SummaryGroup) => number) => groups.reduce((s, g) => s + read(g), 0);
  const requests = sum((g) => g.requests);
  const errors = sum((g) => g.errors);
  return {
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    prompt: sum((g) => g.prompt_tokens),
    completion: sum((g) => g.completion_tokens),
    tokens: sum((g) => g.total_tokens),
    cost: sum((g) => g.cost_usd),
    unpriced: sum((g) => g.requests - g.priced_requests),
  };
}

function Card(props: { metric: string; label: string; value: string; note?: string }) {
  return (
    <div class="dash-card" data-metric={props.metric}>
      <span class="dash-card-label">{props.label}</span>
      <strong class="dash-card-value">{props.value}</strong>
      {props.note && <span class="dash-muted">{props.note}</span>}
    </div>
  );
}

export function Overview(props: { api: Api; params: Params; refresh: number; keyLabel: KeyLabel; onChange: (changes: Record<string, string | undefined>) => void }) {
  const { api, params } = props;
  const filters = activeFilters(params);
  const key = JSON.stringify([filters, params.range ?? '', params.from ?? '', params.to ?? '', props.refresh]);
  const overview = useLoad(() => loadOverview(api, params), [key]);
  if (overview.error) return <Failure error={overview.error} what="the usage summary" />;
  if (!overview.data) return <Loading what="usage" />;
  const { window, time, latency, breakdowns } = overview.data;
  const t = totals(breakdowns.endpoint);
  const requestsHref = (changes: Record<string, string | undefined>) => href('usage', withParams(params, { view: 'requests', id: undefined, ...changes }));
  return (
    <div class="dash-overview" aria-busy={overview.loading}>
      <div class="dash-cards">
        <Card metric="requests" label="Requests" value={formatCount(t.requests)} />
        <Card metric="errors" label="Error rate" value={formatPercent(t.errorRate)} note={`${formatCount(t.errors)} failed`} />
        <Card metric="tokens" label="Tokens" value={formatTokens(t.tokens)} note={`${formatTokens(t.prompt)} prompt · ${formatTokens(t.completion)} completion`} />
        <Card metric="cost" label="Cost" value={formatUsd(t.cost)} note={t.unpriced > 0 ? `${formatCount(t.unpriced)} requests without a price` : undefined} />
        {latency && <Card metric="latency" label="Latency p50" value={formatMs(latency.p50)} note={`p90 ${formatMs(latency.p90)} · p99 ${formatMs(latency.p99)}`} />}
      </div>
      {t.requests === 0 ? (
        <Empty>
          <p>
            <strong>No requests match these filters in this time range.</strong>
          </p>
          <p>Widen the range or clear a filter; requests appear here a moment after they are answered.</p>
        </Empty>
      ) : (
        <>
          <p class="dash-muted dash-hint">Click a point on a chart, or a row of a table, to see its requests.</p>
          <TimeCharts
            groups={time}
            window={window}
            onPickBucket={(start) => {
              const end = start + BUCKET_MS[window.bucket];
              location.hash = requestsHref({ from: new Date(start).toISOString(), to: new Date(end).toISOString() });
            }}
          />
          <div class="dash-breakdowns">
            {DIMENSIONS.map((d) => (
              <Breakdown
                dimension={d}
                title={TITLES[d]}
                groups={breakdowns[d]}
                drillHref={(name) => requestsHref({ [d]: name })}
                onFilter={(name) => props.onChange({ [d]: name })}
                label={d === 'key' ? props.keyLabel : undefined}
              />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
