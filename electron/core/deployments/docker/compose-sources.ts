import type { Component } from '../../../../shared/margo/components';
import { ImageManifest } from '../../../../shared/oci/descriptors';
import { MEDIA } from '../../../../shared/oci/media-types';
import type { Store } from '../../store/store';
import { composeRefDigest } from '../../store/stored-refs';

/** Where a component's compose archive is in the store. */
export interface ComposeArchiveRef {
  /** The ref it is filed under: `registry.example.com/compose/monitor:1.2.0`. */
  refName: string;
  /** The archive blob (the compose layer of the component's manifest). */
  digest: string;
  path: string;
}

/**
 * The names a component's archive may be filed under: `<repository without oci://>:<revision>`
 * (what kit pack and registry imports write), and for legacy components their
 * `packageLocation`, as written and without its scheme.
 */
export function composeRefNames(component: Component): string[] {
  const { repository, revision, packageLocation } = component.properties;
  const names: string[] = [];
  if (repository && revision) names.push(`${repository.replace(/^oci:\/\//, '')}:${revision}`);
  if (packageLocation) {
    names.push(packageLocation, packageLocation.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''));
  }
  return [...new Set(names)];
}

/** The component's compose archive in the store, or undefined when the store lacks it. */
export function findComposeArchive(
  store: Store,
  component: Component,
): ComposeArchiveRef | undefined {
  for (const refName of composeRefNames(component)) {
    const digest = composeRefDigest(store, refName);
    if (!digest) continue;
    const manifest = ImageManifest.parse(JSON.parse(store.blobs.read(digest).toString('utf8')));
    const layer = manifest.layers.find((l) => l.mediaType === MEDIA.margoComposeLayer);
    if (!layer || !store.blobs.has(layer.digest)) continue;
    return { refName, digest: layer.digest, path: store.blobs.pathOf(layer.digest) };
  }
  return undefined;
}

/** What the store lacks for a deployment, and where the engineer can get it. */
export interface MissingSource {
  kind: 'compose archive' | 'image';
  name: string;
  /** Which component (and service) needs it. */
  neededBy: string;
  /** Plain words: the kit or registry that would provide it. */
  providedBy: string;
}

export function missingComposeArchive(component: Component): MissingSource {
  const { repository, revision, packageLocation } = component.properties;
  if (repository && revision) {
    return {
      kind: 'compose archive',
      name: `${repository} revision ${revision}`,
      neededBy: `component ${component.name}`,
      providedBy: `a kit packed with \`kit pack --component ${component.name}@${revision}=<compose folder>\`, or \`import ${repository}:${revision}\` from the registry ${registryOf(repository)}`,
    };
  }
  return {
    kind: 'compose archive',
    name: packageLocation ?? component.name,
    neededBy: `component ${component.name}`,
    providedBy:
      'a kit holding that archive under its packageLocation (legacy package: ask the supplier for a current one with repository and revision)',
  };
}

export function missingImage(image: string, neededBy: string): MissingSource {
  const registry = registryOf(image);
  return {
    kind: 'image',
    name: image,
    neededBy,
    providedBy: `a kit packed with \`kit pack --image <docker save archive of ${image}>\`${registry ? `, or \`import --with-dependencies\` from the registry ${registry}` : ''}`,
  };
}

/** The registry host of `oci://host/repo` or `host/repo:tag` (none for Docker Hub short names). */
function registryOf(reference: string): string | undefined {
  const rest = reference.replace(/^oci:\/\//, '');
  const first = rest.split('/')[0] ?? '';
  return rest.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : undefined;
}

/** One message listing everything missing, so one trip to the supplier's kit fixes it all. */
export function describeMissing(missing: readonly MissingSource[]): string {
  const lines = missing.map(
    (m) => `  - ${m.kind} ${m.name} (needed by ${m.neededBy}): get it from ${m.providedBy}`,
  );
  return `the store lacks ${missing.length === 1 ? 'one thing' : `${missing.length} things`} this deployment needs:\n${lines.join('\n')}`;
}
