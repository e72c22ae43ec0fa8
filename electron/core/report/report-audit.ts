import type { ReportAuditLine } from '../../../shared/report/commissioning-report';

/**
 * What the commissioning report needs from the audit trail: the entries of the period that
 * concern the report's devices, and the chain head a later reader checks against
 * `audit export`. The use case takes it as input, so the report does not depend on how the
 * trail is stored.
 */
export interface ReportAudit {
  /** Entries at or after `since` (null: all), of these devices (null: every entry). */
  entries(since: string | null, devices: readonly string[] | null): ReportAuditLine[];
  /** The hash of the trail's last entry; null when the trail is empty. */
  head(): string | null;
}
