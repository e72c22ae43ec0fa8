import type { Component } from '../../margo/components';
import { COMPONENT_NAME, REVISION, TIMEOUT } from '../../margo/patterns';
import type { PathSegment } from '../diagnostic';
import type { Findings } from '../findings';

/** Rules every component list obeys, in a description's profiles and in a deployment. */
export function checkComponents(
  components: readonly Component[],
  path: readonly PathSegment[],
  findings: Findings,
): void {
  const seen = new Map<string, number>();
  components.forEach((component, i) => {
    const at = [...path, i];
    const { name, properties } = component;
    if (!COMPONENT_NAME.test(name)) {
      findings.add(
        'component-name-pattern',
        [...at, 'name'],
        `component name "${name}" may contain only lower-case letters, digits and dashes (it becomes the Helm chart or compose project name)${hint(name)}`,
      );
    }
    const first = seen.get(name);
    if (first !== undefined) {
      findings.add(
        'component-name-unique',
        [...at, 'name'],
        `component name "${name}" is already used by component ${first + 1} of this profile: parameter targets could not tell them apart; rename one`,
      );
    } else {
      seen.set(name, i);
    }

    const props = [...at, 'properties'];
    if (properties.repository === undefined && properties.packageLocation === undefined) {
      findings.add(
        'component-location-missing',
        props,
        `component "${name}" says nowhere where it comes from: add \`repository: oci://<registry>/<path>\` and \`revision: <version>\``,
      );
    }
    if (properties.repository !== undefined) {
      if (!properties.repository.startsWith('oci://')) {
        findings.add(
          'component-repository-scheme',
          [...props, 'repository'],
          `repository "${properties.repository}" is not an oci:// reference: rc.3 requires components in an OCI registry (oci://registry/path); devices following rc.3 will refuse it`,
        );
      }
      if (properties.revision === undefined) {
        findings.add(
          'revision-missing',
          props,
          `component "${name}" has a repository but no \`revision\`: add the chart or archive version (the OCI tag) so the device installs exactly what was tested`,
        );
      }
    }
    if (properties.revision !== undefined && !REVISION.test(properties.revision)) {
      findings.add('revision-semver', [...props, 'revision'], revisionMessage(properties.revision));
    }
    if (properties.timeout !== undefined && !TIMEOUT.test(properties.timeout)) {
      findings.add(
        'timeout-format',
        [...props, 'timeout'],
        `timeout "${properties.timeout}" must be minutes and seconds as ##m##s, e.g. 5m0s or 8m30s${timeoutHint(properties.timeout)}`,
      );
    }
  });
}

function hint(name: string): string {
  const fixed = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return fixed !== name && COMPONENT_NAME.test(fixed) ? `: e.g. "${fixed}"` : '';
}

function revisionMessage(revision: string): string {
  const base = `revision "${revision}" is not a SemVer 2.0 version usable as an OCI tag (MAJOR.MINOR.PATCH, e.g. 1.4.2)`;
  if (/^v\d/.test(revision) && REVISION.test(revision.slice(1)))
    return `${base}: drop the leading "v" (${revision.slice(1)})`;
  if (revision.includes('+') && REVISION.test(revision.replace('+', '_'))) {
    return `${base}: OCI tags cannot hold "+", write build metadata after "_" (${revision.replace('+', '_')})`;
  }
  if (/^\d+(\.\d+)?$/.test(revision))
    return `${base}: give all three parts (e.g. ${revision}${revision.includes('.') ? '.0' : '.0.0'})`;
  return base;
}

function timeoutHint(timeout: string): string {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(timeout);
  if (m && (m[1] ?? m[2])) return `: write ${m[1] ?? 0}m${m[2] ?? 0}s`;
  return '';
}
