import { extname } from 'node:path';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { CommissioningReport } from '../../../shared/report/commissioning-report';
import { reportHtml } from '../../../shared/report/report-html';
import { reportPdf } from './report-pdf';

export type ReportFormat = 'pdf' | 'html';

/** The format a report file is written in, from its name: `.pdf`, or `.html` / `.htm`. */
export function reportFormatOf(path: string): ReportFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.pdf') return 'pdf';
  if (ext === '.html' || ext === '.htm') return 'html';
  throw new CommissionerError(
    'invalid-input',
    `the report file must end in .pdf or .html (the name says which is written), not ${ext === '' ? 'nothing' : ext}`,
    { field: 'output' },
  );
}

/** The report's bytes in a format. */
export async function renderReport(
  report: CommissioningReport,
  format: ReportFormat,
): Promise<Uint8Array> {
  return format === 'pdf' ? reportPdf(report) : Buffer.from(reportHtml(report), 'utf8');
}

export const REPORT_MEDIA_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
};

/** `commissioning-report-2026-12-06T1200Z.pdf`: the name a downloaded report is saved as. */
export function reportFileName(report: CommissioningReport, format: ReportFormat): string {
  const at = report.generatedAt
    .replace(/:\d{2}\.\d{3}Z$/, 'Z')
    .replace(/[:-]/g, (c) => (c === ':' ? '' : c));
  return `commissioning-report-${at}.${format}`;
}
