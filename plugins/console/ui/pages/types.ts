import type { Api } from '../api';
import type { Location } from '../router';

/** What every page receives: the signed-in API and where the hash points (page + params). */
export interface PageProps {
  readonly api: Api;
  readonly location: Location;
}
