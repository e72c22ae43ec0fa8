import { audited } from '../audit/audited';
import type { DeploymentOwner } from '../../../shared/application-deployment/ownership-labels';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { installationOwner, setEngineerName } from '../store/installation';
import type { Store } from '../store/store';

/** `installation`: who this laptop's deployments name on the devices. */
export function showInstallation(store: Store): DeploymentOwner {
  return installationOwner(store);
}

/**
 * `installation --engineer <name>`: the engineer name put on deployments from now on (empty:
 * the OS user name again). Names are one line of at most 100 characters (they become labels).
 */
function setEngineerNow(store: Store, name: string): DeploymentOwner {
  const controls = [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (name.length > 100 || controls) {
    throw new CommissionerError(
      'invalid-input',
      'an engineer name is one line of at most 100 characters',
      { field: 'engineer' },
    );
  }
  return setEngineerName(store, name);
}

/** Sets the engineer name (audited: the entry is made by whoever was named before). */
export function setEngineer(store: Store, name: string): DeploymentOwner {
  return audited(
    store,
    { operation: 'settings.setEngineer', target: 'engineer', inputs: { engineer: name } },
    () => setEngineerNow(store, name),
  );
}
