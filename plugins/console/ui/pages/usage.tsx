// The usage dashboard (#/usage) and its requests view (#/usage?view=requests): filters and time
// range in the hash params, figures from the usage plugin's /api/usage routes.
import { useState } from 'preact/hooks';
import { href, navigate } from '../router';
import { apiQuery, dashboardParams, DIMENSIONS, resolveWindow, withParams, type Params } from '../dashboard/filters';
import { ActiveFilters } from '../dashboard/ActiveFilters';
import { FilterBar, type FilterOptions } from '../dashboard/FilterBar';
import { useKeyLabel } from '../dashboard/key-names';
import { Overview } from '../dashboard/Overview';
import { RequestsView } from '../dashboard/RequestsView';
import type { Summary } from '../dashboard/types';
import { useLoad } from '../components/use-load';
import type { Api } from '../api';
import type { PageProps } from './types';
import '../dashboard/dashboard.css';

const NO_OPTIONS: FilterOptions = { endpoint: [], key: [], provider: [], model: [] };

/** What the selects offer: every name seen in the range, whatever the other filters. */
async function loadOptions(api: Api, params: Params): Promise<FilterOptions> {
  const window = resolveWindow(params);
  const names = await Promise.all(
    DIMENSIONS.map((d) => api.get<Summary>(`/api/usage/summary?${apiQuery({}, window, { group_by: d })}`).then((s) => s.groups.flatMap((g) => (g.group === null ? [] : [g.group])).sort())),
  );
  return Object.fromEntries(DIMENSIONS.map((d, i) => [d, names[i]!])) as unknown as FilterOptions;
}

export default function UsagePage(props: PageProps) {
  const { api, location } = props;
  const params = location.params;
  const [refresh, setRefresh] = useState(0);
  const change = (changes: Record<string, string | undefined>) => navigate('usage', withParams(params, changes));
  const options = useLoad(() => loadOptions(api, params), [params.range, params.from, params.to, refresh]);
  const keyLabel = useKeyLabel(api, refresh);
  const requests = params.view === 'requests';
  const window = resolveWindow(params);
  return (
    <section class="dashboard">
      <header class="dash-header">
        <h1>{requests ? 'Requests' : 'Usage'}</h1>
        <ActiveFilters params={params} onChange={change} />
        {requests ? (
          <a href={href('usage', dashboardParams(params))}>← Back to the dashboard</a>
        ) : (
          <a href={href('usage', withParams(params, { view: 'requests' }))}>Show the requests →</a>
        )}
      </header>
      {/* Re-keyed on the range's params, so the custom inputs start from the range shown. */}
      <FilterBar
        key={`${params.range ?? ''}|${params.from ?? ''}|${params.to ?? ''}`}
        params={params}
        window={window}
        options={options.data ?? NO_OPTIONS}
        onChange={change}
        onRefresh={() => setRefresh((n) => n + 1)}
        keyLabel={keyLabel}
      />
      {requests ? <RequestsView api={api} params={params} refresh={refresh} keyLabel={keyLabel} onChange={change} /> : <Overview api={api} params={params} refresh={refresh} keyLabel={keyLabel} onChange={change} />}
    </section>
  );
}
