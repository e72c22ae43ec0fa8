import type { CommissioningReport } from './commissioning-report';
import { reportLayout, type ReportBlock } from './report-layout';

/** Text as HTML text or attribute value: the five characters that could open markup escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Self-contained on purpose: the report is handed over and opened on machines with no network,
// so no font, script or style is fetched; system fonts only.
const STYLE = `
:root { color-scheme: light; }
body { font: 10.5pt/1.4 "Helvetica Neue", Helvetica, Arial, sans-serif; color: #111; margin: 24px; }
h1 { font-size: 18pt; margin: 0 0 12px; }
h2 { font-size: 14pt; margin: 0 0 8px; border-bottom: 1px solid #999; padding-bottom: 2px; }
h3 { font-size: 11.5pt; margin: 14px 0 4px; }
section { margin-bottom: 32px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; table-layout: fixed; }
th, td { border: 1px solid #bbb; padding: 2px 6px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-break: break-word; }
th { background: #eee; }
table.fields th { width: 30%; background: #f6f6f6; font-weight: normal; }
p { margin: 4px 0 8px; overflow-wrap: anywhere; }
.sign { display: flex; gap: 24px; margin-top: 48px; }
.sign div { flex: 1; border-top: 1px solid #000; padding-top: 4px; }
@media print {
  body { margin: 0; }
  section { page-break-before: always; break-before: page; margin: 0; }
  section:first-of-type { page-break-before: auto; break-before: auto; }
  tr, .sign { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
}
@page { size: A4; margin: 16mm; }
`;

/**
 * The report as one self-contained HTML page: inline CSS, no external font, script or image,
 * every text escaped; printing puts each device on its own page.
 */
export function reportHtml(report: CommissioningReport): string {
  const layout = reportLayout(report);
  const sections = layout.pages.map(
    (page, i) =>
      `<section>${i === 0 ? `<h1>${escapeHtml(page.title)}</h1>` : `<h2>${escapeHtml(page.title)}</h2>`}\n${page.blocks.map(blockHtml).join('\n')}</section>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing in the page may load or run anything, even if a text slipped through unescaped.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<meta name="report-digest" content="${escapeHtml(report.digest)}">`,
    `<title>${escapeHtml(`${layout.title} ${report.generatedAt}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function blockHtml(block: ReportBlock): string {
  switch (block.kind) {
    case 'heading':
      return `<h3>${escapeHtml(block.text)}</h3>`;
    case 'text':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'fields':
      return `<table class="fields"><tbody>${block.rows
        .map(
          ([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
        )
        .join('')}</tbody></table>`;
    case 'table':
      return `<table><thead><tr>${block.columns
        .map((c) => `<th>${escapeHtml(c)}</th>`)
        .join('')}</tr></thead><tbody>${block.rows
        .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    case 'signature-lines':
      return `<div class="sign">${block.lines.map((l) => `<div>${escapeHtml(l)}</div>`).join('')}</div>`;
  }
}
