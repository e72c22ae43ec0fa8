import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError } from '../../../shared/contract/contract-error';
import type { OperationName, RequestOf, ResponseOf } from '../../../shared/contract/operations';
import { asContractError } from '../transport/contract-check';
import { useApp, useStoreChanged, type StoreArea } from './app-state';

export interface QueryOptions {
  /** Asked again whenever the core says one of these changed (`store.changed`). */
  refreshOn?: readonly StoreArea[];
  /** Asked again whenever this changes (a job moved on, "read the logs again"). */
  refreshKey?: string | number;
  /**
   * While the answer to a new request is on its way, the previous request's answer stays
   * shown (a new version of the same app: no flicker). By default it is hidden at once.
   */
  keepPrevious?: boolean;
}

export interface Query<T> {
  /** The newest answer to the current request; null before it came (or when it failed). */
  data: T | null;
  /** Why the current request failed (the answer, if any, stays in `data`). */
  error: ContractError | null;
  /** A call for the current request is on its way, or none has answered yet. */
  loading: boolean;
  /** Asks again now. */
  reload(): void;
  /** Shows a newer answer from elsewhere (an action that answers with the new state). */
  replace(data: T): void;
  /** Stops showing the error (the engineer closed it). */
  clearError(): void;
}

interface Settled<T> {
  /** The request (as JSON) the data answers. */
  dataKey: string | null;
  data: T | null;
  /** The request the error is about. */
  errorKey: string | null;
  error: ContractError | null;
  /** The request of the call on its way. */
  waiting: string | null;
}

const NOTHING: Settled<never> = {
  dataKey: null,
  data: null,
  errorKey: null,
  error: null,
  waiting: null,
};

/**
 * One contract operation's answer for a request, kept current: asked when the request
 * changes, when `refreshKey` changes and when the core says one of `refreshOn` changed. The
 * newest call wins: an answer overtaken by a later call is dropped, and an answer for another
 * request is never shown as this one's. `request` null asks nothing (nothing chosen yet).
 */
export function useQuery<N extends OperationName>(
  op: N,
  request: RequestOf<N> | null,
  { refreshOn = [], refreshKey, keepPrevious = false }: QueryOptions = {},
): Query<ResponseOf<N>> {
  const { transport } = useApp();
  const key = request === null ? null : JSON.stringify(request);
  const [settled, setSettled] = useState<Settled<ResponseOf<N>>>(NOTHING);
  const seq = useRef(0);

  const reload = useCallback(() => {
    if (key === null) return;
    const n = ++seq.current;
    setSettled((s) => ({ ...s, waiting: key }));
    transport.call(op, JSON.parse(key) as RequestOf<N>).then(
      (answer) => {
        if (n !== seq.current) return;
        setSettled({ dataKey: key, data: answer, errorKey: null, error: null, waiting: null });
      },
      (e: unknown) => {
        if (n !== seq.current) return;
        const error = asContractError(e);
        setSettled((s) => ({ ...s, errorKey: key, error, waiting: null }));
      },
    );
  }, [transport, op, key]);

  useEffect(() => reload(), [reload, refreshKey]);
  useStoreChanged(refreshOn, reload);
  // Answers that come after the view has gone are nobody's.
  useEffect(
    () => () => {
      seq.current++;
    },
    [],
  );

  const replace = useCallback(
    (data: ResponseOf<N>) => {
      seq.current++;
      setSettled({ dataKey: key, data, errorKey: null, error: null, waiting: null });
    },
    [key],
  );
  const clearError = useCallback(() => setSettled((s) => ({ ...s, error: null })), []);

  const current = key !== null && settled.dataKey === key;
  const failed = key !== null && settled.errorKey === key;
  return {
    data: current || (keepPrevious && key !== null) ? settled.data : null,
    error: failed ? settled.error : null,
    loading: key !== null && (settled.waiting === key || (!current && !failed)),
    reload,
    replace,
    clearError,
  };
}
