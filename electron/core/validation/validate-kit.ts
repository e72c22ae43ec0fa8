import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageManifest } from '../../../shared/oci/descriptors';
import { MEDIA } from '../../../shared/oci/media-types';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { validateDocumentBytes } from '../../../shared/validation/validate-document';
import { composeRefNames } from '../deployments/docker/compose-sources';
import { folderBlobReader, stagedBlobReader, type BlobReader } from '../kit/blob-reader';
import { extractComposeArchive } from '../kit/compose-archive';
import { KitRefusedError } from '../kit/kit-errors';
import { DEFAULT_KIT_LIMITS } from '../kit/kit-limits';
import { resolveLayout, type ResolvedLayout } from '../kit/resolve-layout';
import { parseIndex, stageKitArchive } from '../kit/stage-kit-archive';
import { StagingArea } from '../store/staging';
import { composeHostAccessDiagnostics, dedupe } from './compose-host-access';

/** A description is a document: bounded as validate bounds any document. */
const MAX_DESCRIPTION_BYTES = 1024 * 1024;

/**
 * Validates what a kit carries (a `.tar`/`.tar.gz` or an OCI layout folder): each package's
 * description, and the host access of the compose components the kit holds for it. Files are
 * named `<kit>#<ref>/…`. An archive is unpacked into the system's temporary folder (never the
 * data home) and removed afterwards. A kit that breaks the layout rules is one error.
 */
export async function validateKit(
  path: string,
  shownAs: string,
  kind: 'archive' | 'layout',
): Promise<Diagnostic[]> {
  const staging =
    kind === 'archive' ? StagingArea.create(join(tmpdir(), 'commissioner-validate')) : undefined;
  try {
    let resolved: ResolvedLayout;
    let blobPath: (digest: string) => string | undefined;
    let reader: BlobReader;
    try {
      if (staging) {
        const layout = await stageKitArchive(path, staging, DEFAULT_KIT_LIMITS);
        reader = stagedBlobReader(layout);
        blobPath = (digest) => layout.blobs.get(digest)?.path;
        resolved = await resolveLayout(layout.index, reader, DEFAULT_KIT_LIMITS.maxJsonBytes);
      } else {
        const folder = folderBlobReader(path);
        reader = folder;
        blobPath = (digest) =>
          folder.size(digest) !== undefined ? folder.pathOf(digest) : undefined;
        const index = parseIndex(
          readFileSync(join(path, 'index.json')),
          readFileSync(join(path, 'oci-layout')),
        );
        resolved = await resolveLayout(index, reader, DEFAULT_KIT_LIMITS.maxJsonBytes);
      }
    } catch (e) {
      const message = e instanceof KitRefusedError || e instanceof Error ? e.message : String(e);
      return [kitDiagnostic(shownAs, `the kit cannot be read: ${message}`)];
    }
    return await kitDiagnostics(resolved, reader, blobPath, shownAs);
  } finally {
    staging?.dispose();
  }
}

async function kitDiagnostics(
  resolved: ResolvedLayout,
  reader: BlobReader,
  blobPath: (digest: string) => string | undefined,
  shownAs: string,
): Promise<Diagnostic[]> {
  const manifestOf = (digest: string) => resolved.manifests.get(digest)?.manifest as ImageManifest;
  const composeByRef = new Map<string, string>();
  for (const root of resolved.roots) {
    if (!root.refName) continue;
    const layer = manifestOf(root.descriptor.digest)?.layers?.find(
      (l) => l.mediaType === MEDIA.margoComposeLayer,
    );
    if (layer) composeByRef.set(root.refName, layer.digest);
  }
  const diagnostics: Diagnostic[] = [];
  let packages = 0;
  for (const root of resolved.roots) {
    const entry = resolved.manifests.get(root.descriptor.digest);
    if (entry?.artifactType !== MEDIA.margoApp) continue;
    packages++;
    const layer = (entry.manifest as ImageManifest).layers.find(
      (l) => l.mediaType === MEDIA.margoDescription,
    );
    const name = root.refName ?? root.descriptor.digest;
    const file = `${shownAs}#${name}/${layer?.annotations?.['org.opencontainers.image.title'] ?? 'margo.yaml'}`;
    if (!layer) {
      diagnostics.push(kitDiagnostic(file, `the package ${name} has no description layer`));
      continue;
    }
    const bytes = await reader
      .readSmall(layer.digest, MAX_DESCRIPTION_BYTES)
      .catch(() => undefined);
    if (!bytes) {
      diagnostics.push(kitDiagnostic(file, `the description of ${name} cannot be read`));
      continue;
    }
    const result = validateDocumentBytes(bytes, { file });
    diagnostics.push(...result.diagnostics);
    if (result.kind !== 'ApplicationDescription' || !result.shapeValid) continue;
    const description = result.value as ApplicationDescription;
    for (const profile of description.deploymentProfiles) {
      if (profile.type !== 'compose') continue;
      for (const component of profile.components) {
        const refName = composeRefNames(component).find((r) => composeByRef.has(r));
        const digest = refName ? composeByRef.get(refName) : undefined;
        const archive = digest ? blobPath(digest) : undefined;
        if (!refName || !digest || !archive) continue;
        let files: Map<string, Buffer>;
        try {
          ({ files } = await extractComposeArchive(archive, digest));
        } catch (e) {
          diagnostics.push({
            ...kitDiagnostic(`${shownAs}#${refName}`, (e as Error).message),
            severity: 'warning',
            rule: 'compose-unreadable',
          });
          continue;
        }
        diagnostics.push(
          ...composeHostAccessDiagnostics(description, component, {
            text: files.get('compose.yaml')?.toString('utf8') ?? '',
            file: `${shownAs}#${refName}/compose.yaml`,
            readFile: (p) => files.get(p)?.toString('utf8'),
          }),
        );
      }
    }
  }
  if (packages === 0) {
    diagnostics.push({
      ...kitDiagnostic(shownAs, 'the kit holds no application package: nothing to validate'),
      rule: 'package-no-description',
    });
  }
  return dedupe(diagnostics);
}

function kitDiagnostic(file: string, message: string): Diagnostic {
  return {
    severity: 'error',
    rule: 'file-unreadable',
    message,
    file,
    line: 1,
    column: 1,
    path: '',
  };
}
