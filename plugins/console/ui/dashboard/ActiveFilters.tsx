// The filters in force, said in words beside the title, each with a button that removes it:
// a drill-down or a shared link shows at a glance what it is narrowed to.
import { activeFilters, type Params } from './filters';

export function ActiveFilters(props: { params: Params; onChange: (changes: Record<string, string | undefined>) => void }) {
  const filters = Object.entries(activeFilters(props.params));
  if (filters.length === 0) return null;
  return (
    <ul class="dash-active" aria-label="Active filters">
      {filters.map(([name, value]) => (
        <li data-filter={name}>
          {name} <strong>{value}</strong>
          <button type="button" class="dash-icon" aria-label={`Remove the ${name} filter`} title="Remove this filter" onClick={() => props.onChange({ [name]: undefined, id: undefined })}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
