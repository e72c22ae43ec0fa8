import { isError, type ContractError } from '../../../shared/contract/contract-error';
import { useQuery } from './use-query';

/** "No such deployment" (not recorded yet, or removed). */
export function isDeploymentNotFound(error: ContractError | null): boolean {
  return isError(error, 'not-found') && error.details.thing === 'deployment';
}

/**
 * One deployment as `deployments.show` has it, read again whenever the core says deployments
 * changed and whenever `refreshKey` changes (a job's progress).
 */
export function useDeployment(id: string | null, refreshKey = '') {
  const query = useQuery('deployments.show', id ? { id } : null, {
    refreshOn: ['deployments'],
    refreshKey,
  });
  return {
    detail: query.data,
    error: query.error,
    loading: query.loading,
    load: query.reload,
    /** A newer view from elsewhere (`deployments.refresh` answers with one). */
    replace: query.replace,
  };
}
