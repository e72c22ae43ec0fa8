import { describe, expect, it } from 'vitest';
import { reportPdf } from '../../electron/core/report/report-pdf';
import { reportFormatOf } from '../../electron/core/report/report-file';
import { reportDigest } from '../../electron/core/use-cases/commissioning-report';
import { parseSince } from '../../electron/cli/since-time';
import { MASK } from '../../shared/configuration/secret-heuristic';
import {
  CommissioningReport,
  type CommissioningReportBody,
  type ReportApp,
  type ReportDevice,
} from '../../shared/report/commissioning-report';
import { escapeHtml, reportHtml } from '../../shared/report/report-html';
import { readPdf } from '../support/pdf-text';

/**
 * The commissioning report's renderings from a model made by hand: hostile names and values
 * stay text (HTML) or are drawn as text (PDF), secrets stay masked, long values wrap, and the
 * digest covers the content.
 */
const HOSTILE = '<script>alert("x")</script>';
const LONG = `very-long-${'abcdefghij'.repeat(120)}-end`;
const DIGEST_A = `sha256:${'a1'.repeat(32)}`;
const DIGEST_B = `sha256:${'b2'.repeat(32)}`;

function app(overrides: Partial<ReportApp> = {}): ReportApp {
  return {
    deploymentId: 'dep-0001',
    appId: 'com-example-line-app',
    appName: `Line ${HOSTILE}`,
    version: '1.0.0',
    profile: 'line-app-compose',
    state: 'installed',
    revision: 2,
    updatedAt: '2026-12-06T10:00:00.000Z',
    deploymentDigest: DIGEST_A,
    parameters: [
      { name: 'adminPassword', value: MASK, secret: true },
      { name: 'siteName', value: `Plant ${HOSTILE} & "co"`, secret: false },
      { name: 'notes', value: LONG, secret: false },
    ],
    components: [{ name: 'line-app', state: 'installed' }],
    images: [
      {
        component: 'line-app',
        service: 'api',
        image: 'registry.example.com/line/busybox:1.0',
        imageId: DIGEST_B,
        ref: 'registry.example.com/line/busybox:1.0',
      },
    ],
    signatures: [
      {
        kind: 'package',
        name: 'com-example-line-app@1.0.0',
        artifact: DIGEST_B,
        verdict: 'unsigned',
        signer: null,
        reason: null,
        policy: 'skip',
      },
    ],
    ...overrides,
  };
}

function device(name: string, apps: ReportApp[]): ReportDevice {
  return {
    name,
    kind: 'docker',
    address: `tcp://10.0.7.${name.length}:2376`,
    addedAt: '2026-12-01T08:00:00.000Z',
    labels: { line: HOSTILE },
    described: { vendor: 'ACME' },
    hostAccess: 'allow',
    lastProbe: { probedAt: '2026-12-06T09:00:00.000Z', reachable: true, error: null },
    facts: null,
    capabilities: null,
    apps,
  };
}

function report(body: Partial<CommissioningReportBody> = {}): CommissioningReport {
  const full: CommissioningReportBody = {
    format: 'commissioner-report/1',
    generatedAt: '2026-12-06T12:00:00.000Z',
    generatedBy: { installation: 'inst-1', engineer: 'Ana Ruiz', host: 'LAPTOP-7' },
    scope: 'all',
    since: null,
    devices: [
      device('press-1', [app()]),
      device('press-2', [app({ deploymentId: 'dep-0002', deploymentDigest: DIGEST_B })]),
    ],
    audit: {
      entries: [
        {
          at: '2026-12-06T10:00:00.000Z',
          actor: `ana ${HOSTILE}`,
          operation: 'deploy',
          target: 'press-1',
          outcome: 'ok',
          summary: 'adminPassword: given',
          hash: 'c3'.repeat(32),
        },
      ],
      head: 'c3'.repeat(32),
    },
    signOff: { commissionedBy: null, acceptedBy: null, date: null },
    ...body,
  };
  return CommissioningReport.parse({ ...full, digest: reportDigest(full) });
}

describe('commissioning report model', () => {
  it('the digest covers the content: equal content gives an equal digest, any change another', () => {
    const a = report();
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report().digest).toBe(a.digest);
    // The digest does not cover itself: computing it over the finished report gives it again.
    expect(reportDigest(a)).toBe(a.digest);
    expect(report({ since: '2026-12-01T00:00:00.000Z' }).digest).not.toBe(a.digest);
    const changed = report({
      devices: [device('press-1', [app({ version: '1.0.1' })])],
    });
    expect(changed.digest).not.toBe(a.digest);
  });

  it('--since takes dates, date-times and spans back from now; anything else is refused', () => {
    const now = new Date('2026-12-06T12:00:00.000Z');
    expect(parseSince('2026-12-01', now)).toBe('2026-12-01T00:00:00.000Z');
    expect(parseSince('2026-12-01T08:00Z', now)).toBe('2026-12-01T08:00:00.000Z');
    expect(parseSince('12h', now)).toBe('2026-12-06T00:00:00.000Z');
    expect(parseSince('7d', now)).toBe('2026-11-29T12:00:00.000Z');
    for (const bad of ['yesterday', '12', '2026-13-45', '-3d', ''])
      expect(() => parseSince(bad, now), bad).toThrow(/is not a time/);
  });

  it('the format comes from the file name; another extension is a usage error', () => {
    expect(reportFormatOf('r.pdf')).toBe('pdf');
    expect(reportFormatOf('/x/R.PDF')).toBe('pdf');
    expect(reportFormatOf('r.html')).toBe('html');
    expect(reportFormatOf('r.htm')).toBe('html');
    for (const bad of ['r.docx', 'r', 'r.pdf.txt'])
      expect(() => reportFormatOf(bad), bad).toThrow(
        expect.objectContaining({ name: 'invalid-input' }),
      );
  });
});

describe('commissioning report as HTML', () => {
  const html = reportHtml(report());

  it('escapes every text: hostile names, values, labels and audit actors stay text', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;',
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(html).toContain(escapeHtml(`Plant ${HOSTILE} & "co"`));
    // The only markup is ours: every tag in the page is one the renderer writes.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(
      [
        '!doctype',
        'body',
        'div',
        'h1',
        'h2',
        'h3',
        'head',
        'html',
        'meta',
        'p',
        'section',
        'style',
        'table',
        'tbody',
        'td',
        'th',
        'thead',
        'title',
        'tr',
      ].sort(),
    );
  });

  it('is self-contained and prints each device on its own page', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`default-src 'none'`);
    expect(html).toMatch(
      /@media print \{[\s\S]*\n {2}section \{ page-break-before: always; break-before: page;/,
    );
    expect(html.match(/<section>/g)?.length).toBe(1 + 2 + 2);
    expect(html).toContain('<h2>Device press-1</h2>');
    expect(html).toContain('<h2>Device press-2</h2>');
  });

  it('states the digests, the masked secret, the long value whole, and blank sign-off lines', () => {
    const r = report();
    expect(html).toContain(r.digest);
    expect(html).toContain(DIGEST_A);
    expect(html).toContain(DIGEST_B);
    expect(html).toContain('c3'.repeat(32));
    expect(html).toContain(`${MASK} (secret)`);
    expect(html).toContain(LONG);
    expect(html).toMatch(/overflow-wrap:\s*anywhere/);
    for (const line of ['Commissioned by', 'Accepted by', 'Date'])
      expect(html).toContain(`<div>${line}</div>`);
  });
});

describe('commissioning report as PDF', () => {
  it('opens in poppler: both devices, the app, its version, the digests; a page per device', async () => {
    const r = report();
    const pdf = readPdf(await reportPdf(r));
    expect(pdf.pages).toBeGreaterThanOrEqual(5);
    expect(pdf.renderedPages).toBe(pdf.pages);
    for (const text of [
      'Device press-1',
      'Device press-2',
      'com-example-line-app',
      '1.0.0',
      DIGEST_A,
      DIGEST_B,
      r.digest,
      'Commissioned by',
      'Accepted by',
    ])
      expect(pdf.text, text).toContain(text);
    // The mask's bullets are drawn; hostile markup is only text.
    expect(pdf.text).toContain('•••••••• (secret)');
    expect(pdf.text).toContain('<script>alert("x")</script>');
    // The long value wraps inside its cell rather than running off the page: all of it is there.
    expect(pdf.text.replace(/\s+/g, '')).toContain(LONG);
  });

  it('draws text the standard fonts cannot encode as ?, and control characters as spaces', async () => {
    const r = report({
      devices: [device('press-1', [app({ appName: 'Line 漢字 \u0000\u001b[31m app' })])],
    });
    const pdf = readPdf(await reportPdf(r));
    expect(pdf.text).toContain('Line ?? ');
    expect(pdf.text).not.toContain('\u001b');
  });

  it('a value longer than a page is cut with ..., and the file still opens', async () => {
    const huge = 'x'.repeat(200_000);
    const started = Date.now();
    const bytes = await reportPdf(
      report({
        devices: [
          device('press-1', [app({ parameters: [{ name: 'blob', value: huge, secret: false }] })]),
        ],
      }),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    const pdf = readPdf(bytes);
    expect(pdf.text).toContain('...');
    expect(pdf.renderedPages).toBe(pdf.pages);
  });
});
