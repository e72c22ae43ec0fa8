import type { OperationName } from '../../../shared/contract/operations';
import { useApp } from '../state/app-state';
import { EmptyState } from './EmptyState';
import { roleRefusal } from './role-text';

/**
 * In place of a screen whose every control the logged-in role would be refused (a route
 * reached by its address): one sentence saying so and whom to ask, nothing to fill in.
 */
export function RoleRefusal({
  op,
  doing,
  testId,
}: {
  op: OperationName;
  /** What the screen is for, after "cannot": "deploy", "import packages". */
  doing: string;
  testId: string;
}) {
  const { session } = useApp();
  if (!session?.role) return null;
  return <EmptyState testId={testId} title={roleRefusal(session.role, op, doing)} />;
}
