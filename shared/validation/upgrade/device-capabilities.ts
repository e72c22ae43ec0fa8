import type { Findings } from '../findings';
import { upgradeArchitectures } from './legacy-names';
import { eachRecord, isRecord } from './plain-data';

/** Flags a pre-rc.3 capabilities manifest (roles, resources, apiVersion/kind) and maps x86_64. */
export function upgradeDeviceCapabilities(doc: Record<string, unknown>, findings: Findings): void {
  const props = isRecord(doc.properties) ? doc.properties : undefined;
  const legacyField =
    props?.roles !== undefined
      ? ['properties', 'roles']
      : props?.resources !== undefined
        ? ['properties', 'resources']
        : doc.kind !== undefined
          ? ['kind']
          : doc.apiVersion !== undefined
            ? ['apiVersion']
            : undefined;
  if (legacyField) {
    findings.add(
      'legacy-capabilities-shape',
      legacyField,
      'this capabilities manifest has the pre-rc.3 shape (apiVersion/kind, roles, resources): rc.3 reports cpus, memory, storage, peripherals, interfaces, otelCollector, supportedRuntimes and supportedDeploymentTypes directly under `properties`, without apiVersion/kind',
      { atKey: true },
    );
  }
  eachRecord(props?.cpus, (cpu, i) =>
    upgradeArchitectures(cpu, 'architecture', ['properties', 'cpus', i], findings),
  );
  const resources = isRecord(props?.resources) ? props.resources : undefined;
  if (resources) {
    const at = ['properties', 'resources', 'cpu'];
    upgradeArchitectures(resources.cpu, 'architectures', at, findings);
    upgradeArchitectures(resources.cpu, 'architecture', at, findings);
  }
}
