import { CommissionerError } from '../../../shared/contract/contract-error';
import type { Store } from '../../core/store/store';
import { setEngineer, showInstallation } from '../../core/use-cases/installation-identity';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';

/** The settings `config set/get` know; `installation --engineer` sets the same engineer. */
const SETTINGS = ['engineer'] as const;

/** `config set engineer "Ana Ruiz"`: the engineer named on deployments and audit entries. */
export function runConfigSet(
  store: Store,
  setting: string,
  value: string,
  options: { json?: boolean },
  output: Output,
): ExitCode {
  try {
    known(setting);
    const owner = setEngineer(store, value);
    if (options.json) output.out(JSON.stringify(owner));
    else output.out(`engineer ${owner.engineer || '(none)'}`);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'config set', e);
  }
}

/** `config get engineer`: the name deployments and audit entries carry. */
export function runConfigGet(
  store: Store,
  setting: string,
  options: { json?: boolean },
  output: Output,
): ExitCode {
  try {
    known(setting);
    const { engineer } = showInstallation(store);
    output.out(options.json ? JSON.stringify({ engineer }) : engineer);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'config get', e);
  }
}

function known(setting: string): void {
  if (!(SETTINGS as readonly string[]).includes(setting)) {
    throw new CommissionerError(
      'invalid-input',
      `there is no setting named "${setting}": the settings are ${SETTINGS.join(', ')}`,
      { field: 'setting' },
    );
  }
}
