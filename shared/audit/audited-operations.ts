import type { OperationName } from '../contract/operations';

/**
 * For each contract operation, the operation its audit entries name when it changes state
 * (null: it only reads). Every operation is classified here: a new one does not compile until
 * it is. Jobs are named after their use case: `imports.start` → `import`, `deploy.start` →
 * `deploy` (one entry per device).
 * Observations are reads: probing and refreshing record what devices say, not a change a
 * person made (the live-state watcher does the same every 30 s).
 */
export const AUDITED_AS = {
  'app.info': null,
  'catalog.list': null,
  'catalog.facets': null,
  'catalog.show': null,
  'catalog.icons': null,
  'catalog.reach': null,
  'catalog.remove': 'catalog.remove',
  'files.pick': null,
  'imports.start': 'import',
  'jobs.list': null,
  'devices.list': null,
  'devices.add': 'devices.add',
  'devices.update': 'devices.update',
  'devices.remove': 'devices.remove',
  'devices.probe': null,
  'devices.show': null,
  'compat.matrix': null,
  'deploy.form': null,
  'deploy.plan': null,
  'deploy.start': 'deploy',
  'deployments.list': null,
  'deployments.show': null,
  'deployments.refresh': null,
  'deployments.refreshAll': null,
  'deployments.logs': null,
  'deployments.followLogs': null,
  'deployments.stopLogs': null,
  'deployments.saveLogs': null,
  'deployments.rollback': 'deployments.rollback',
  'deployments.remove': 'deployments.remove',
  'deployments.adopt': 'deployments.adopt',
  'settings.watchInterval': null,
  'settings.setWatchInterval': 'settings.setWatchInterval',
  'settings.installation': null,
  'settings.setEngineer': 'settings.setEngineer',
  'trust.list': null,
  'trust.add': 'trust.add',
  'trust.remove': 'trust.remove',
  'trust.policies': null,
  'trust.setPolicy': 'trust.setPolicy',
  'trust.removePolicy': 'trust.removePolicy',
  'margo.status': null,
  'margo.start': 'margo.start',
  'margo.stop': 'margo.stop',
  'margo.clients': null,
  'margo.addClient': 'margo.addClient',
  'margo.renewClient': 'margo.renewClient',
  'margo.revokeClient': 'margo.revokeClient',
  // Not a change of state, but handing a report over is a thing done: its digest is recorded.
  'reports.create': 'report',
  'session.current': null,
  'users.list': null,
  'users.add': 'users.add',
  'users.remove': 'users.remove',
  'users.setPassword': 'users.setPassword',
  'backups.status': null,
  'backups.setReminder': 'settings.setBackupReminder',
  // Handing the station's keys over in a file is a thing done: its id and manifest digest are kept.
  'backups.create': 'backup.create',
  // The restored trail gets the entry (the trail that was replaced is gone with its home).
  'backups.restore': 'backup.restore',
} as const satisfies Record<OperationName, string | null>;

/** The audit operation of a state-changing contract operation; null when it only reads. */
export function auditedAs(op: OperationName): string | null {
  return AUDITED_AS[op];
}
