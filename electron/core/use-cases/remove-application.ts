import { audited } from '../audit/audited';
import { removeApplication as removeFromStore } from '../store/catalog-remove';
import type { Store } from '../store/store';
import { applicationDetail, appRefOf, type AppRefText } from './show-application';

/**
 * Removes one version of an application, or every version, with the blobs nothing else uses;
 * components and images imported beside it stay (other packages may use them). Returns the
 * versions removed.
 */
export function removeApplication(
  store: Store,
  ref: AppRefText,
): { id: string; removed: string[] } {
  const named = appRefOf(ref);
  const target = named.version !== undefined ? `${named.id}@${named.version}` : named.id;
  return audited(
    store,
    { operation: 'catalog.remove', target },
    () => {
      applicationDetail(store, ref);
      const { id, version } = appRefOf(ref);
      return { id, removed: removeFromStore(store, id, version) };
    },
    (r) => ({ inputs: { removed: r.removed } }),
  );
}
