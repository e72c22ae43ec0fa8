import { actorLabel } from '../../../shared/audit/actor-label';
import type { AuditEntry } from '../../../shared/audit/audit-entry';
import type { ReportAuditLine } from '../../../shared/report/commissioning-report';
import { auditEntries, auditHead, namesDevice } from '../store/audit-trail';
import type { Store } from '../store/store';
import type { ReportAudit } from './report-audit';

/** The report's view of this data home's audit trail. */
export function storedAuditTrail(store: Store): ReportAudit {
  return {
    entries(since, devices) {
      return auditEntries(store, since === null ? {} : { since })
        .filter((e) => devices === null || devices.some((d) => namesDevice(e, d)))
        .map(reportLine);
    },
    head: () => auditHead(store),
  };
}

function reportLine(e: AuditEntry): ReportAuditLine {
  return {
    at: e.time,
    actor: actorLabel(e.actor),
    operation: e.operation,
    target: e.target,
    outcome: e.outcome.result === 'ok' ? 'ok' : `${e.outcome.result}: ${e.outcome.reason}`,
    summary: inputsSummary(e),
    hash: e.hash,
  };
}

/** The inputs as `key=value` pairs, as the trail holds them (secret values never are). */
function inputsSummary(e: AuditEntry): string {
  const text = Object.entries(e.inputs)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(', ');
  // A table cell, not the record: the whole entry stays in `audit export`.
  return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH - 1)}…` : text;
}

const SUMMARY_LENGTH = 300;
