import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Store } from '../../core/store/store';
import { renderReport, reportFormatOf } from '../../core/report/report-file';
import { commissioningReport } from '../../core/use-cases/commissioning-report';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import { plural, type Output } from '../output';
import { parseSince } from '../since-time';

export interface ReportOptions {
  device: string[];
  all?: boolean;
  since?: string;
  output?: string;
  json?: boolean;
}

/**
 * `report --device a,b | --all [--since <time>] -o <file>.pdf|.html [--json]`: the
 * commissioning report written to the file, its format from the name. Exit 0; 1 for an unknown
 * device or a file that cannot be written; 2 for usage errors (no devices chosen, both ways
 * chosen, no file, an unknown extension, a time that is none).
 */
export async function runReport(
  store: Store,
  options: ReportOptions,
  output: Output,
): Promise<ExitCode> {
  const names = options.device
    .flatMap((d) => d.split(','))
    .map((d) => d.trim())
    .filter(Boolean);
  if (options.all === true && names.length > 0) {
    output.err('commissioner report: give either --device or --all, not both');
    return EXIT.usage;
  }
  if (options.all !== true && names.length === 0) {
    output.err(
      'commissioner report: name the devices with --device a,b or ask for every device with --all',
    );
    return EXIT.usage;
  }
  if (!options.output) {
    output.err('commissioner report: name the file to write with -o <file>.pdf or -o <file>.html');
    return EXIT.usage;
  }
  try {
    const format = reportFormatOf(options.output);
    const since = options.since === undefined ? null : parseSince(options.since);
    const report = commissioningReport(store, {
      devices: options.all === true ? 'all' : names,
      since,
    });
    const bytes = await renderReport(report, format);
    const path = resolve(options.output);
    writeFileSync(path, bytes);
    const apps = report.devices.reduce((n, d) => n + d.apps.length, 0);
    if (options.json) {
      output.out(
        JSON.stringify({
          file: path,
          format,
          digest: report.digest,
          auditHead: report.audit.head,
          devices: report.devices.map((d) => ({
            name: d.name,
            apps: d.apps.map((a) => ({
              appId: a.appId,
              version: a.version,
              deploymentDigest: a.deploymentDigest,
            })),
          })),
        }),
      );
    } else {
      output.out(
        `commissioning report of ${plural(report.devices.length, 'device')} (${plural(apps, 'application deployment')}) written to ${path}`,
      );
      output.out(`report digest ${report.digest}`);
      output.out(`audit chain head ${report.audit.head ?? 'none (no audit entry recorded)'}`);
    }
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'report', e);
  }
}
