import { ownerWords } from '../../../shared/application-deployment/ownership-labels';
import type { Store } from '../../core/store/store';
import { setEngineer, showInstallation } from '../../core/use-cases/installation-identity';
import { adoptDeployments } from '../../core/use-cases/adopt-deployments';
import { showDevice } from '../../core/use-cases/show-device';
import { reportFailure } from '../cli-failure';
import { summary } from '../device-lines';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

/**
 * `devices show <name> [--json]`: the device, its last probe, and the Commissioner deployments
 * found on it (ours and other installations'). Exit 0; 1 when the device did not answer (its
 * last probe is shown); 2 for an unknown name.
 */
export async function runDevicesShow(
  store: Store,
  name: string,
  options: { json?: boolean },
  output: Output,
): Promise<ExitCode> {
  let detail;
  try {
    detail = await showDevice(store, name);
  } catch (e) {
    return reportFailure(output, 'devices show', e, (error) =>
      error.name === 'not-found' ? EXIT.usage : undefined,
    );
  }
  if (options.json) {
    const { lastProbe, ...device } = detail.device;
    output.out(
      JSON.stringify({
        device,
        lastProbe,
        deployments: detail.deployments.map((d) => ({
          id: d.id,
          appId: d.appId,
          version: d.version,
          revision: d.revision,
          owner: d.owner,
          deployedAt: d.deployedAt,
          state: d.state,
        })),
      }),
    );
  } else {
    const probe = detail.device.lastProbe;
    output.out(
      `${detail.device.name} (${detail.device.kind}, ${detail.device.connection.address})`,
    );
    output.out(
      probe === null
        ? 'never probed'
        : probe.reachable
          ? `last probe ${probe.probedAt}: reachable, ${summary(probe)}`
          : `last probe ${probe.probedAt}: UNREACHABLE — ${probe.error?.message ?? ''}`,
    );
    if (detail.unreadable !== null) output.out(`deployments: not read now — ${detail.unreadable}`);
    else if (detail.deployments.length === 0) output.out('no Commissioner deployments on it');
    else {
      output.out(
        textTable([
          ['APP', 'VERSION', 'REVISION', 'STATE', 'DEPLOYED BY', 'AT', 'HERE', 'ID'],
          ...detail.deployments.map((d) => [
            d.appId,
            d.version || '-',
            String(d.revision),
            d.state,
            d.ours ? 'this laptop' : ownerWords(d.owner),
            d.deployedAt || '-',
            d.recorded !== null ? 'recorded' : 'not recorded (adopt)',
            d.id,
          ]),
        ]),
      );
    }
  }
  return detail.unreadable === null ? EXIT.ok : EXIT.findings;
}

/**
 * `deployments adopt <device> [<id>] [--json]`: takes one deployment found on the device (or
 * every one this laptop does not record) into this laptop's records. Exit 0; 1 when refused.
 */
export async function runDeploymentsAdopt(
  store: Store,
  device: string,
  id: string | undefined,
  options: { json?: boolean },
  output: Output,
): Promise<ExitCode> {
  let adopted;
  try {
    adopted = await adoptDeployments(store, { device, ...(id !== undefined ? { id } : {}) });
  } catch (e) {
    return reportFailure(output, 'deployments adopt', e, (error) =>
      error.name === 'not-found' && error.details.thing === 'device' ? EXIT.usage : undefined,
    );
  }
  if (options.json) output.out(JSON.stringify(adopted));
  else if (adopted.length === 0)
    output.out(`nothing to adopt on ${device}: this laptop records every deployment found there`);
  else {
    for (const a of adopted) {
      output.out(
        `adopted ${a.appId} on ${device} (deployment ${a.id}): ${a.revisions} revision${a.revisions === 1 ? '' : 's'} taken into this laptop's records; nothing on the device changed`,
      );
    }
  }
  return EXIT.ok;
}

/**
 * `installation [--engineer <name>] [--json]`: who this laptop's deployments name on the
 * devices (installation id, engineer, host); `--engineer ""` goes back to the OS user name.
 */
export function runInstallation(
  store: Store,
  options: { engineer?: string; json?: boolean },
  output: Output,
): ExitCode {
  let owner;
  try {
    owner =
      options.engineer !== undefined
        ? setEngineer(store, options.engineer)
        : showInstallation(store);
  } catch (e) {
    return reportFailure(output, 'installation', e);
  }
  if (options.json) output.out(JSON.stringify(owner));
  else {
    output.out(`installation ${owner.installation}`);
    output.out(`engineer     ${owner.engineer || '(none)'}`);
    output.out(`host         ${owner.host}`);
  }
  return EXIT.ok;
}
