// One breakdown table (by endpoint, model, provider or key). A row's name drills into its
// requests; the funnel button keeps the dashboard and narrows it to that row instead.
import type { Dimension } from './filters';
import { formatCount, formatMs, formatPercent, formatTokens, formatUsd, groupLabel } from './format';
import type { SummaryGroup } from './types';

export interface BreakdownProps {
  readonly dimension: Dimension;
  readonly title: string;
  readonly groups: readonly SummaryGroup[];
  /** The requests view filtered by this row (rows without a name cannot be filtered). */
  readonly drillHref: (name: string) => string;
  readonly onFilter: (name: string) => void;
  /** How a name is shown (key ids get their names). */
  readonly label?: (name: string) => string;
}

export function Breakdown(props: BreakdownProps) {
  const { dimension, groups } = props;
  return (
    <section class="dash-breakdown" data-dimension={dimension}>
      <h2>{props.title}</h2>
      {groups.length === 0 ? (
        <p class="dash-muted">No requests.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{dimension[0]!.toUpperCase() + dimension.slice(1)}</th>
              <th scope="col" class="num">Requests</th>
              <th scope="col" class="num">Errors</th>
              <th scope="col" class="num">p50</th>
              <th scope="col" class="num">p90</th>
              <th scope="col" class="num">p99</th>
              <th scope="col" class="num">Tokens</th>
              <th scope="col" class="num">Cost</th>
              <th scope="col"><span class="sr-only">Filter</span></th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const name = g.group;
              const drill = name === null ? undefined : props.drillHref(name);
              return (
                <tr
                  data-group={name ?? ''}
                  class={drill ? 'clickable' : ''}
                  onClick={(event) => {
                    // The whole row drills; the link and the button inside handle their own clicks.
                    if (drill && !(event.target as HTMLElement).closest('a,button')) location.hash = drill;
                  }}
                >
                  <th scope="row">{drill ? <a href={drill} title={`Requests of ${name}`}>{props.label ? props.label(name!) : name}</a> : <span class="dash-muted">{groupLabel(name)}</span>}</th>
                  <td class="num">{formatCount(g.requests)}</td>
                  <td class={g.errors > 0 ? 'num bad' : 'num'} title={`${formatCount(g.errors)} errors`}>{formatPercent(g.error_rate)}</td>
                  <td class="num">{formatMs(g.latency_ms.p50)}</td>
                  <td class="num">{formatMs(g.latency_ms.p90)}</td>
                  <td class="num">{formatMs(g.latency_ms.p99)}</td>
                  <td class="num" title={`prompt ${formatCount(g.prompt_tokens)} · completion ${formatCount(g.completion_tokens)}`}>{formatTokens(g.total_tokens)}</td>
                  <td class="num" title={g.priced_requests < g.requests ? `${g.requests - g.priced_requests} requests without a price` : undefined}>
                    {g.priced_requests === 0 && g.requests > 0 ? '—' : formatUsd(g.cost_usd)}
                  </td>
                  <td>
                    {name !== null && (
                      <button type="button" class="dash-icon" title={`Show only ${dimension} ${name}`} aria-label={`Filter by ${dimension} ${name}`} onClick={() => props.onFilter(name)}>
                        <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
                          <path d="M1 2h10L7 6.5V10L5 11V6.5z" fill="currentColor" />
                        </svg>
                        <span class="sr-only">Filter</span>
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
