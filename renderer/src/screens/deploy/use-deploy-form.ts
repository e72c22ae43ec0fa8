import { useCallback, useRef, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { DeployForm } from '../../../../shared/contract/deploy';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';

/**
 * `deploy.form` for one app version, asked again as the wizard learns more (devices, then a
 * profile). Only the newest answer counts; `load` resolves with it, or null when it failed or
 * was overtaken.
 */
export function useDeployForm(appId: string | undefined, version: string | undefined) {
  const { transport } = useApp();
  const [form, setForm] = useState<DeployForm | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  const load = useCallback(
    async (more: { profile?: string; devices?: string[] }): Promise<DeployForm | null> => {
      if (!appId) return null;
      const n = ++seq.current;
      setLoading(true);
      try {
        const answer = await transport.call('deploy.form', {
          id: appId,
          ...(version ? { version } : {}),
          ...(more.profile ? { profile: more.profile } : {}),
          ...(more.devices?.length ? { devices: more.devices } : {}),
        });
        if (n !== seq.current) return null;
        setForm(answer);
        setError(null);
        return answer;
      } catch (e) {
        if (n === seq.current) setError(asContractError(e));
        return null;
      } finally {
        if (n === seq.current) setLoading(false);
      }
    },
    [transport, appId, version],
  );

  return { form, error, loading, load };
}
