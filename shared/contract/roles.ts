import { z } from 'zod';
import type { OperationName } from './operations';

/**
 * What a named account of the browser host may do, least first: a viewer reads, an operator
 * also changes what runs (imports, deployments), an admin also changes the station itself
 * (devices, trust, accounts, Margo clients, settings). Each role includes the ones before it.
 */
export const Role = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;

/** Who calls the core: a named account and its role (the browser host with accounts). */
export const Caller = z.strictObject({ account: z.string(), role: Role });
export type Caller = z.infer<typeof Caller>;

/**
 * The least role each contract operation needs. A `Record` over every operation name: a new
 * operation does not compile until it is classified here (and test/unit/roles.test.ts checks
 * the table against OPERATIONS at run time too).
 */
export const OPERATION_ROLES: Record<OperationName, Role> = {
  'app.info': 'viewer',
  'session.current': 'viewer',
  'catalog.list': 'viewer',
  'catalog.facets': 'viewer',
  'catalog.show': 'viewer',
  'catalog.icons': 'viewer',
  'catalog.reach': 'viewer',
  'catalog.remove': 'operator',
  // Picking a file is the first step of an import or of adding trust material: the operation
  // that uses it checks its own role; a viewer has nothing to pick for.
  'files.pick': 'operator',
  'imports.start': 'operator',
  'jobs.list': 'viewer',
  'devices.list': 'viewer',
  'devices.add': 'admin',
  'devices.update': 'admin',
  'devices.remove': 'admin',
  // Probing asks the device about itself and records nothing but what it answered.
  'devices.probe': 'viewer',
  'devices.show': 'viewer',
  'compat.matrix': 'viewer',
  'deploy.form': 'viewer',
  // A plan changes nothing; an operator needs it before deploying, a viewer may look.
  'deploy.plan': 'viewer',
  'deploy.start': 'operator',
  'deployments.list': 'viewer',
  'deployments.show': 'viewer',
  'deployments.refresh': 'viewer',
  'deployments.refreshAll': 'viewer',
  // Logs may carry what the apps print about the plant: still reading, no change.
  'deployments.logs': 'viewer',
  'deployments.followLogs': 'viewer',
  'deployments.stopLogs': 'viewer',
  'deployments.saveLogs': 'viewer',
  'deployments.rollback': 'operator',
  'deployments.remove': 'operator',
  'deployments.adopt': 'operator',
  'settings.watchInterval': 'viewer',
  'settings.setWatchInterval': 'admin',
  'settings.installation': 'viewer',
  'settings.setEngineer': 'admin',
  'trust.list': 'viewer',
  'trust.add': 'admin',
  'trust.remove': 'admin',
  'trust.policies': 'viewer',
  'trust.setPolicy': 'admin',
  'trust.removePolicy': 'admin',
  'margo.status': 'viewer',
  'margo.start': 'admin',
  'margo.stop': 'admin',
  'margo.clients': 'viewer',
  'margo.addClient': 'admin',
  'margo.renewClient': 'admin',
  'margo.revokeClient': 'admin',
  // Reading what was done, for the hand-over: whoever may read may report.
  'reports.create': 'viewer',
  'users.list': 'admin',
  'users.add': 'admin',
  'users.remove': 'admin',
  'users.setPassword': 'admin',
  'backups.status': 'viewer',
  'backups.setReminder': 'admin',
  // A backup holds the plant's CA key and every device's keys; a restore replaces everything.
  'backups.create': 'admin',
  'backups.restore': 'admin',
};

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may call `op`. */
export function roleAllows(role: Role, op: OperationName): boolean {
  return RANK[role] >= RANK[OPERATION_ROLES[op]];
}

/** What each role may do, in words for people (the CLI's `users list`, the login page). */
export const ROLE_WORDS: Record<Role, string> = {
  viewer: 'reads only',
  operator: 'imports, deploys, updates, rolls back and removes',
  admin: 'also manages devices, trust, accounts, Margo clients and settings',
};
