import type { OperationName } from '../../../shared/contract/operations';
import { OPERATION_ROLES, type Role } from '../../../shared/contract/roles';

/** A role's name as the window shows it. */
export const ROLE_LABEL: Record<Role, string> = {
  viewer: 'Viewer',
  operator: 'Operator',
  admin: 'Admin',
};

/** Who may do `op`, to ask: "an operator or an admin", "an admin". */
export function whoMay(op: OperationName): string {
  return OPERATION_ROLES[op] === 'admin'
    ? 'an admin'
    : OPERATION_ROLES[op] === 'operator'
      ? 'an operator or an admin'
      : 'anyone';
}

/** Why a screen shows no controls: "Your role (viewer) cannot deploy: ask an operator or an admin." */
export function roleRefusal(role: Role, op: OperationName, doing: string): string {
  return `Your role (${role}) cannot ${doing}: ask ${whoMay(op)}.`;
}

/** Beside a section whose changes are hidden: "Only an admin changes these." */
export function onlyWho(op: OperationName, does: string): string {
  const who = whoMay(op);
  return `Only ${who} ${does}.`;
}
