import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError } from '../../../shared/contract/contract-error';
import type { DeploymentDetail } from '../../../shared/contract/deployments';
import { asContractError } from '../transport/contract-check';
import { useApp, useStoreChanged } from './app-state';

/** The core's name for "no such deployment" (not recorded yet, or removed). */
export function isNotFound(error: ContractError | null): boolean {
  return error?.name === 'DeploymentNotFoundError';
}

/**
 * One deployment as `deployments.show` has it, read again whenever the core says deployments
 * changed and whenever `refreshKey` changes (a job's progress). Answers overtaken by a newer
 * request are dropped, and an answer for another id is never shown.
 */
export function useDeployment(id: string | null, refreshKey = '') {
  const { transport } = useApp();
  const [detail, setDetail] = useState<DeploymentDetail | null>(null);
  const [error, setError] = useState<{ id: string; error: ContractError } | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  const load = useCallback(() => {
    if (!id) return;
    const n = ++seq.current;
    setLoading(true);
    transport.call('deployments.show', { id }).then(
      (answer) => {
        if (n !== seq.current) return;
        setDetail(answer);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (n !== seq.current) return;
        setError({ id, error: asContractError(e) });
        setLoading(false);
      },
    );
  }, [transport, id]);

  useEffect(() => load(), [load, refreshKey]);
  useStoreChanged(['deployments'], load);

  /** A newer view from elsewhere (`deployments.refresh` answers with one). */
  const replace = useCallback((next: DeploymentDetail) => {
    seq.current++;
    setDetail(next);
    setError(null);
    setLoading(false);
  }, []);

  return {
    detail: detail && detail.id === id ? detail : null,
    error: error && error.id === id ? error.error : null,
    loading,
    load,
    replace,
  };
}
