import type { Store } from '../../core/store/store';
import { updateDevice } from '../../core/use-cases/update-device';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';

export interface DevicesUpdateOptions {
  hostAccess?: string;
  json?: boolean;
}

/**
 * `devices update <name> --host-access allow|deny`: whether applications that need access to
 * the device itself (privileged, the Docker socket, its system folders…) may run on it.
 */
export function runDevicesUpdate(
  store: Store,
  name: string,
  options: DevicesUpdateOptions,
  output: Output,
): ExitCode {
  const policy = options.hostAccess;
  if (policy === undefined) {
    output.err('commissioner devices update: say what to change: --host-access allow|deny');
    return EXIT.usage;
  }
  if (policy !== 'allow' && policy !== 'deny') {
    output.err(`commissioner devices update: --host-access takes allow or deny, not "${policy}"`);
    return EXIT.usage;
  }
  try {
    const device = updateDevice(store, { name, hostAccess: policy });
    if (options.json)
      output.out(JSON.stringify({ name: device.name, hostAccess: device.hostAccess }));
    else {
      output.out(
        device.hostAccess === 'deny'
          ? `${name}: host access denied: applications that need access to the device itself are incompatible with it`
          : `${name}: host access allowed: such applications may run once the engineer allows it for each deployment`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'devices update', e);
  }
}
