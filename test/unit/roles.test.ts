import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../shared/contract/operations';
import { OPERATION_ROLES, Role, roleAllows } from '../../shared/contract/roles';

describe('the role of every contract operation', () => {
  it('classifies every operation of the contract, and nothing else', () => {
    const operations = Object.keys(OPERATIONS).sort();
    const classified = Object.keys(OPERATION_ROLES).sort();
    expect(operations.filter((op) => !classified.includes(op))).toEqual([]);
    expect(classified.filter((op) => !operations.includes(op))).toEqual([]);
    for (const role of Object.values(OPERATION_ROLES)) expect(Role.options).toContain(role);
  });

  it('lets a viewer only read (and report what was done): no import, deploy, removal, device, trust, account or Margo change', () => {
    const viewerMay = Object.keys(OPERATION_ROLES).filter((op) =>
      roleAllows('viewer', op as keyof typeof OPERATION_ROLES),
    );
    for (const op of viewerMay) {
      expect(op).toMatch(
        /\.(info|current|list|facets|show|icons|reach|probe|matrix|form|plan|refresh|refreshAll|logs|followLogs|stopLogs|saveLogs|watchInterval|installation|policies|status|clients)$|^reports\.create$/,
      );
    }
    for (const op of [
      'imports.start',
      'deploy.start',
      'deployments.rollback',
      'deployments.remove',
      'catalog.remove',
      'devices.add',
      'trust.add',
      'users.add',
      'margo.addClient',
    ] as const) {
      expect(roleAllows('viewer', op), op).toBe(false);
    }
  });

  it('lets an operator deploy, update, roll back, remove and import, but not change the station', () => {
    for (const op of [
      'imports.start',
      'deploy.start',
      'deployments.rollback',
      'deployments.remove',
      'deployments.adopt',
      'catalog.remove',
    ] as const) {
      expect(roleAllows('operator', op), op).toBe(true);
    }
    for (const op of [
      'devices.add',
      'devices.update',
      'devices.remove',
      'trust.add',
      'trust.setPolicy',
      'users.add',
      'users.remove',
      'users.setPassword',
      'margo.addClient',
      'margo.revokeClient',
      'margo.start',
    ] as const) {
      expect(roleAllows('operator', op), op).toBe(false);
      expect(roleAllows('admin', op), op).toBe(true);
    }
  });

  it('lets an admin do everything', () => {
    for (const op of Object.keys(OPERATIONS)) {
      expect(roleAllows('admin', op as keyof typeof OPERATION_ROLES)).toBe(true);
    }
  });
});
