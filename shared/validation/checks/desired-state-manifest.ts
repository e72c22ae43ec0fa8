import type { DesiredStateManifest } from '../../margo/desired-state-manifest';
import { DIGEST } from '../../margo/patterns';
import type { PathSegment } from '../diagnostic';
import type { Findings } from '../findings';

export function checkDesiredStateManifest(m: DesiredStateManifest, findings: Findings): void {
  const empty = m.deployments.length === 0;
  if (m.bundle === null && !empty) {
    findings.add(
      'bundle-null',
      ['bundle'],
      '`bundle` is null but there are deployments: a bundle archive must reference them',
    );
  } else if (m.bundle !== null && empty) {
    findings.add(
      'bundle-null',
      ['bundle'],
      '`bundle` must be null when there are no deployments (an empty archive must not be served)',
    );
  }
  if (m.bundle) {
    checkDigest(m.bundle.digest, ['bundle', 'digest'], findings);
    checkUrl(m.bundle.url, `/bundles/${m.bundle.digest}`, ['bundle', 'url'], findings);
  }
  m.deployments.forEach((d, i) => {
    checkDigest(d.digest, ['deployments', i, 'digest'], findings);
    checkUrl(
      d.url,
      `/deployments/${d.deploymentId}/${d.digest}`,
      ['deployments', i, 'url'],
      findings,
    );
  });
}

function checkDigest(digest: string, path: readonly PathSegment[], findings: Findings): void {
  if (!DIGEST.test(digest)) {
    findings.add(
      'digest-format',
      path,
      `digest "${digest}" must be "sha256:" followed by 64 lower-case hex digits`,
    );
  }
}

function checkUrl(
  url: string,
  tail: string,
  path: readonly PathSegment[],
  findings: Findings,
): void {
  const current = `/api/v1${tail}`;
  if (url === current) return;
  const legacy = /^\/api\/v1\/clients\/[^/]+(\/.*)$/.exec(url);
  if (legacy && legacy[1] === tail) {
    findings.add(
      'legacy-manifest-url',
      path,
      `URLs carry no client id since rc.3 (the client is known from mTLS): ${current}`,
    );
    return;
  }
  findings.add(
    'manifest-url',
    path,
    `url must be ${current} (the digest and id it references), not ${url}`,
  );
}
