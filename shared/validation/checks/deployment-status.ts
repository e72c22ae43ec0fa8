import { STATE_SEVERITY, type DeploymentStatusManifest } from '../../margo/deployment-status';
import { DEVICE_ID } from '../../margo/patterns';
import type { Findings } from '../findings';
import { deviceIdMessage } from './application-deployment';

export function checkDeploymentStatus(s: DeploymentStatusManifest, findings: Findings): void {
  if (s.deviceId !== undefined && !DEVICE_ID.test(s.deviceId)) {
    findings.add('device-id-pattern', ['deviceId'], deviceIdMessage(s.deviceId, false));
  }
  if (s.components.length === 0) return;
  const worst = STATE_SEVERITY.find((state) => s.components.some((c) => c.state === state));
  if (worst && worst !== s.status.state) {
    findings.add(
      'status-precedence',
      ['status', 'state'],
      `overall state "${s.status.state}" should be "${worst}", the most severe component state (failed > removing > installing > pending > removed > installed)`,
    );
  }
}
