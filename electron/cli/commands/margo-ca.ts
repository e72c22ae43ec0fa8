import type { Store } from '../../core/store/store';
import {
  finishMargoCaRotation,
  initMargoCa,
  rotateMargoCa,
  showMargoCa,
  type MargoCaStatus,
} from '../../core/use-cases/margo-ca';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

function printStatus(status: MargoCaStatus, output: Output): void {
  output.out(`trust domain ${status.trustDomain} (${status.wfmSpiffeId})`);
  output.out(
    textTable([
      ['CA', 'KEY', 'VALID UNTIL', 'SHA-256 FINGERPRINT'],
      ...status.authorities.map((a) => [a.role, a.keyType, a.notAfter.slice(0, 10), a.fingerprint]),
    ]),
  );
  if (status.rotation) {
    output.out(
      `rotation under way since ${status.rotation.startedAt}: devices trust both CAs once they have the new trust bundle or a new provisioning bundle; new client certificates come from the next CA; the WFM keeps its certificate from the current CA until margo ca rotate --finish`,
    );
  }
}

/** `margo ca show [--json]`: the trust domain, its CA(s) and a rotation under way. */
export function runCaShow(store: Store, options: { json?: boolean }, output: Output): ExitCode {
  const status = showMargoCa(store);
  if (options.json) {
    output.out(JSON.stringify(status));
    return EXIT.ok;
  }
  if (!status) {
    output.out(
      'no trust domain yet: margo ca init makes one (ECDSA P-256), as does first use (margo serve, margo client add)',
    );
    return EXIT.ok;
  }
  printStatus(status, output);
  return EXIT.ok;
}

/** `margo ca init [--key-type ecdsa-p256|rsa-3072] [--json]`: create the trust domain. */
export function runCaInit(
  store: Store,
  options: { keyType?: string; json?: boolean },
  output: Output,
): ExitCode {
  try {
    const status = initMargoCa(store, options.keyType ? { keyType: options.keyType } : {});
    if (options.json) output.out(JSON.stringify(status));
    else printStatus(status, output);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'margo ca init', e);
  }
}

/**
 * `margo ca rotate [--key-type …] [--json]` starts moving the trust domain to a new CA;
 * `margo ca rotate --finish [--force] [--json]` makes it the only one.
 */
export function runCaRotate(
  store: Store,
  options: { keyType?: string; finish?: boolean; force?: boolean; json?: boolean },
  output: Output,
): ExitCode {
  if (options.finish && options.keyType !== undefined) {
    output.err(
      'commissioner margo ca rotate: --key-type chooses the new CA when a rotation starts, not at --finish',
    );
    return EXIT.usage;
  }
  if (options.force && !options.finish) {
    output.err('commissioner margo ca rotate: --force only goes with --finish');
    return EXIT.usage;
  }
  try {
    const status = options.finish
      ? finishMargoCaRotation(store, { force: options.force === true })
      : rotateMargoCa(store, options.keyType ? { keyType: options.keyType } : {});
    if (options.json) output.out(JSON.stringify(status));
    else if (options.finish) {
      printStatus(status, output);
      output.out(
        'rotation finished: the WFM presents a certificate from the new CA (a running server from its next connection on); certificates from the old CA are refused',
      );
    } else printStatus(status, output);
    return EXIT.ok;
  } catch (e) {
    const code = reportFailure(output, 'margo ca rotate', e);
    if (options.finish && !options.force && code === EXIT.findings) {
      output.err('(--force finishes anyway and cuts those clients off)');
    }
    return code;
  }
}
