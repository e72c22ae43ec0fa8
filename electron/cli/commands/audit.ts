import { actorLabel } from '../../../shared/audit/actor-label';
import type { AuditEntry } from '../../../shared/audit/audit-entry';
import type { ChainVerdict } from '../../core/audit/verify-chain';
import type { Store } from '../../core/store/store';
import {
  exportAuditTrail,
  listAuditEntries,
  verifyAuditExport,
  verifyAuditTrail,
} from '../../core/use-cases/audit-trail';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

/**
 * `audit verify [--file <export.jsonl>] [--json]`: recomputes the chain; exit 0 when intact,
 * 1 naming the first entry altered, removed or reordered. `--json`: the verdict object.
 */
export function runAuditVerify(
  store: Store | undefined,
  options: { file?: string; json?: boolean },
  output: Output,
): ExitCode {
  let verdict: ChainVerdict;
  try {
    verdict =
      options.file !== undefined
        ? verifyAuditExport(options.file)
        : verifyAuditTrail(store as Store);
  } catch (e) {
    return reportFailure(output, 'audit verify', e);
  }
  if (options.json) output.out(JSON.stringify(verdict));
  else if (verdict.intact) {
    output.out(
      `The audit trail is intact: ${entriesText(verdict.entries)}, the last one's hash ${verdict.head}.`,
    );
  } else {
    output.out(`The audit trail was tampered with: ${verdict.message}.`);
  }
  return verdict.intact ? EXIT.ok : EXIT.findings;
}

/** `audit list [--since <time>] [--device <name>] [--json]`: entries, oldest first. */
export function runAuditList(
  store: Store,
  options: { since?: string; device?: string; json?: boolean },
  output: Output,
): ExitCode {
  let entries: AuditEntry[];
  try {
    entries = listAuditEntries(store, options);
  } catch (e) {
    return reportFailure(output, 'audit list', e);
  }
  if (options.json) {
    output.out(JSON.stringify(entries));
    return EXIT.ok;
  }
  if (entries.length === 0) {
    output.out('No audit entries.');
    return EXIT.ok;
  }
  output.out(
    textTable([
      ['#', 'TIME', 'WHO', 'OPERATION', 'TARGET', 'OUTCOME'],
      ...entries.map((e) => [
        String(e.seq),
        e.time,
        actorLabel(e.actor),
        e.operation,
        e.target,
        e.outcome.result === 'ok' ? 'ok' : `${e.outcome.result}: ${e.outcome.reason}`,
      ]),
    ]),
  );
  return EXIT.ok;
}

/** `audit export -o <file.jsonl>`: the trail with its chain, one entry per line. */
export function runAuditExport(
  store: Store,
  options: { output: string },
  output: Output,
): ExitCode {
  try {
    const { entries, head } = exportAuditTrail(store, options.output);
    output.out(
      `Wrote ${entriesText(entries)} to ${options.output}${head ? `; the last one's hash is ${head}` : ''}.`,
    );
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'audit export', e);
  }
}

function entriesText(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}
