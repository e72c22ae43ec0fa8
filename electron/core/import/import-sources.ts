import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { DocumentValidation } from '../../../shared/validation/validate-document';
import type { ImageManifest } from '../../../shared/oci/descriptors';
import { MEDIA } from '../../../shared/oci/media-types';
import { stagedBlobReader } from '../kit/blob-reader';
import { composeArchiveProblem } from '../kit/compose-archive';
import { KitRefusedError } from '../kit/kit-errors';
import { DEFAULT_KIT_LIMITS, type KitLimits } from '../kit/kit-limits';
import {
  PackageTooLargeError,
  packageRefName,
  writePackageArtifact,
} from '../kit/package-artifact';
import { resolveLayout, type ResolvedLayout } from '../kit/resolve-layout';
import { stageKitArchive } from '../kit/stage-kit-archive';
import { stageLayoutFolder } from '../kit/stage-layout-folder';
import type { StagedBlob, StagedLayout } from '../kit/staged-layout';
import { StagingSink } from '../kit/staging-sink';
import { verifyDigests } from '../kit/verify-digests';
import { packageManifestDigest } from '../store/catalog-reader';
import {
  commitImport,
  StoreChangedError,
  syncPlannedBlobs,
  type ImportPlan,
} from '../store/catalog-writer';
import { StagingArea } from '../store/staging';
import { syncCommits, writeStoreIndex, type Store } from '../store/store';
import { isBlobRecorded, refDigest } from '../store/stored-refs';
import { inspectPackageDirectory } from '../validation/validate-path';
import { classifySource, type SourceKind } from './classify-source';
import { emptyReport, mergeReports, type ImportReport, type ItemKind } from './import-report';
import type { ProgressListener } from './import-progress';
import { readPackage } from './read-package';
import {
  RegistryUnreadableError,
  stageRegistrySource,
  type RegistryAccess,
} from './registry-source';
import { scanFolder, SCAN_LIMITS } from './scan-folder';
import { isSignatureRoot } from '../signatures/signature-roots';
import { checkImportTrust, type ImportedArtifact } from '../trust/import-trust-check';
import { TrustRefusedError } from '../trust/trust-refused-error';

export interface ImportSource {
  /** As the engineer wrote it: a path or an oci:// reference; shown in the report. */
  input: string;
  /** The path resolved against the caller's directory (unused for registry references). */
  path: string;
}

export interface ImportOptions {
  withDependencies?: boolean;
  registry?: RegistryAccess;
  limits?: KitLimits;
  onProgress?: ProgressListener;
}

const MAX_SEARCH_TEXT = 256 * 1024;

/**
 * Imports sources one by one; each is staged, verified and committed on its own, all or
 * nothing: a refused kit leaves the store exactly as it was, while the next source still runs.
 */
export async function importSources(
  store: Store,
  sources: readonly ImportSource[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report = emptyReport();
  const staging = StagingArea.create(store.paths.tmp);
  try {
    await importEach(store, staging, sources, options, report);
  } finally {
    try {
      if (report.imported.length > 0) writeStoreIndex(store);
      // The staging folder is what sends a start after a crash looking for blobs without
      // rows: it goes once the commits that own the blobs are on disk.
      syncCommits(store);
    } finally {
      staging.dispose();
    }
  }
  return report;
}

async function importEach(
  store: Store,
  staging: StagingArea,
  sources: readonly ImportSource[],
  options: ImportOptions,
  report: ImportReport,
): Promise<void> {
  for (const source of sources) {
    const kind = await classifySource(source.input, source.path);
    if (kind.kind === 'unreadable') {
      report.unreadable.push({ source: source.input, message: kind.message });
    } else if (kind.kind === 'folder') {
      const { found, truncated } = await scanFolder(kind.path);
      if (truncated) {
        report.skipped.push({
          source: source.input,
          message: `the folder holds more than ${SCAN_LIMITS.maxEntries} entries; the scan stopped there`,
        });
      }
      if (found.length === 0) {
        report.skipped.push({
          source: source.input,
          message: `no package folder, OCI layout or kit archive found within ${SCAN_LIMITS.maxDepth} levels`,
        });
      }
      for (const f of found) {
        const label = join(source.input, f.label);
        mergeReports(
          report,
          await staging.within(() =>
            importOne(store, staging, label, { kind: f.kind, path: f.path }, options),
          ),
        );
      }
    } else {
      mergeReports(
        report,
        await staging.within(() => importOne(store, staging, source.input, kind, options)),
      );
    }
  }
}

async function importOne(
  store: Store,
  staging: StagingArea,
  label: string,
  source: Exclude<SourceKind, { kind: 'unreadable' | 'folder' }>,
  options: ImportOptions,
): Promise<ImportReport> {
  const report = emptyReport();
  const limits = options.limits ?? DEFAULT_KIT_LIMITS;
  const progress = options.onProgress;
  const known = new Map<string, DocumentValidation>();
  try {
    let layout: StagedLayout;
    let resolved: ResolvedLayout | undefined;
    /** Blobs hashed while they were written here (package folders, registry pulls). */
    let hashedOnArrival = false;
    let readBytes = 0;
    const onRead = (n: number, totalBytes?: number) => {
      readBytes += n;
      progress?.({
        source: label,
        phase: 'reading',
        bytes: readBytes,
        ...(totalBytes ? { totalBytes } : {}),
        items: 0,
      });
    };
    switch (source.kind) {
      case 'package': {
        const inspection = await inspectPackageDirectory(source.path, label);
        const description = inspection.description;
        if (!description || !description.result.valid) {
          report.invalid.push({
            kind: 'application',
            source: label,
            message: `${label} is not a valid package`,
            diagnostics: inspection.diagnostics,
          });
          return report;
        }
        const sink = new StagingSink(staging, (digest) =>
          isBlobRecorded(store, digest) ? store.blobs.pathOf(digest) : undefined,
        );
        const artifact = await writePackageArtifact(
          source.path,
          description.name,
          description.result.value as ApplicationDescription,
          inspection.packageFiles.files,
          sink,
        );
        known.set(artifact.descriptionDigest, description.result);
        layout = sink.layout;
        hashedOnArrival = true;
        break;
      }
      case 'layout': {
        ({ layout, resolved } = await stageLayoutFolder(source.path, staging, limits, (n) =>
          onRead(n),
        ));
        break;
      }
      case 'archive':
        layout = await stageKitArchive(source.path, staging, limits, (p) => {
          readBytes = p.bytesRead;
          progress?.({
            source: label,
            phase: 'reading',
            bytes: p.bytesRead,
            totalBytes: p.totalBytes,
            items: 0,
          });
        });
        break;
      case 'registry': {
        const pulled = await stageRegistrySource(
          source.reference,
          options.registry ?? {},
          staging,
          options.withDependencies ?? false,
          (n) => onRead(n),
        );
        layout = pulled.layout;
        hashedOnArrival = true;
        for (const problem of pulled.dependencyProblems) {
          report.unreadable.push({
            source: `oci://${problem.ref}`,
            message: `a component of ${label} could not be pulled: ${problem.message}`,
          });
        }
        break;
      }
    }
    resolved ??= await resolveLayout(layout.index, stagedBlobReader(layout), limits.maxJsonBytes);

    // The hashing stage: what is kept is exactly what the descriptors promise.
    if (!hashedOnArrival) {
      const toVerify = [...resolved.blobs]
        .filter(([digest]) => !resolved.manifests.has(digest) && !resolved.embedded.has(digest))
        .map(([digest, size]) => {
          const staged = layout.blobs.get(digest) as StagedBlob;
          return { digest, size, path: staged.path, arrived: staged.arrived };
        });
      const totalBytes = toVerify.reduce((sum, b) => sum + b.size, 0);
      let hashed = 0;
      await verifyDigests(toVerify, (n) => {
        hashed += n;
        progress?.({ source: label, phase: 'verifying', bytes: hashed, totalBytes, items: 0 });
      });
    }
    for (const m of resolved.manifests.values()) {
      if (m.kind !== 'compose') continue;
      for (const layer of (m.manifest as ImageManifest).layers.filter(
        (l) => l.mediaType === MEDIA.margoComposeLayer,
      )) {
        const staged = layout.blobs.get(layer.digest);
        const problem = staged ? await composeArchiveProblem(staged.path) : 'it is missing';
        if (problem)
          throw new KitRefusedError(
            `the compose archive ${layer.digest} breaks the spec's archive rules: ${problem}`,
            layer.digest,
          );
      }
    }

    progress?.({
      source: label,
      phase: 'committing',
      bytes: readBytes,
      items: 0,
      totalItems: resolved.roots.length,
    });
    const planned = emptyReport();
    const { plan, artifacts } = await planImport(store, layout, resolved, label, planned, known);
    // The trust check: before anything is written, so a strict refusal leaves no trace.
    const trust = checkImportTrust(
      store,
      artifacts,
      resolved.manifests,
      readerOf(layout, resolved),
    );
    if (trust.refusal) throw new TrustRefusedError(trust.refusal, trust.verdicts);
    addReachable(
      plan,
      trust.signatures.map((s) => s.manifestDigest),
      layout,
      resolved,
    );
    plan.signatures = trust.signatures;
    plan.trust = trust.records;
    if (
      plan.refs.length > 0 ||
      plan.packages.length > 0 ||
      plan.signatures.length > 0 ||
      plan.trust.length > 0
    ) {
      await syncPlannedBlobs(store, plan);
      commitImport(store, plan, () => staging.file('embedded'));
    }
    mergeReports(report, planned);
    report.signatures.push(...trust.verdicts);
    progress?.({
      source: label,
      phase: 'done',
      bytes: readBytes,
      items: resolved.roots.length,
      totalItems: resolved.roots.length,
    });
  } catch (e) {
    if (e instanceof TrustRefusedError) report.signatures.push(...e.verdicts);
    if (e instanceof KitRefusedError)
      report.refused.push({
        source: label,
        message: e.message,
        ...(e.member ? { member: e.member } : {}),
      });
    else if (e instanceof PackageTooLargeError)
      report.refused.push({ source: label, message: e.message });
    else if (e instanceof RegistryUnreadableError)
      report.unreadable.push({ source: label, message: e.message });
    else if (e instanceof StoreChangedError)
      report.refused.push({ source: label, message: e.message });
    else if (isFsError(e))
      report.unreadable.push({ source: label, message: `${label} cannot be read: ${e.message}` });
    else throw e;
  }
  return report;
}

/** Reads a verified blob of the source (staged, embedded in a descriptor, or in the store). */
function readerOf(layout: StagedLayout, resolved: ResolvedLayout): (digest: string) => Buffer {
  return (digest) => {
    const embedded = resolved.embedded.get(digest);
    if (embedded) return embedded;
    const staged = layout.blobs.get(digest);
    if (!staged) throw new Error(`blob ${digest} is not in the source`);
    return readFileSync(staged.path);
  };
}

/**
 * Decides each root of a verified layout: a package is imported, unchanged (same id@version,
 * same digest), in conflict (same id@version, other digest: never overwritten) or invalid;
 * components and images likewise by their names. Signatures are not roots of their own: they
 * come with what they sign. Returns what to commit, and the artifacts the trust check judges
 * (imported or unchanged).
 */
async function planImport(
  store: Store,
  layout: StagedLayout,
  resolved: ResolvedLayout,
  label: string,
  report: ImportReport,
  known: ReadonlyMap<string, DocumentValidation>,
): Promise<{ plan: ImportPlan; artifacts: ImportedArtifact[] }> {
  const plan: ImportPlan = {
    blobs: new Map(),
    manifests: new Map(),
    refs: [],
    packages: [],
    signatures: [],
    trust: [],
  };
  const artifacts: ImportedArtifact[] = [];
  const planned = new Map<string, string>();
  const accepted: string[] = [];
  const readBlob = readerOf(layout, resolved);

  for (const root of resolved.roots) {
    const m = resolved.manifests.get(root.descriptor.digest);
    if (!m || isSignatureRoot(m, resolved.manifests)) continue;
    const artifact = { digest: m.digest, mediaType: m.mediaType, size: m.size };
    if (m.kind === 'application') {
      const reading = await readPackage(
        m.manifest as ImageManifest,
        readBlob,
        root.refName ? `${label}#${root.refName}` : label,
        known,
      );
      if (!reading.ok) {
        report.invalid.push({
          kind: 'application',
          ...(root.refName ? { ref: root.refName } : {}),
          source: label,
          message: reading.message,
          diagnostics: reading.diagnostics,
        });
        continue;
      }
      const d = reading.description;
      const tag = root.refName ? tagOf(root.refName) : undefined;
      if (
        tag !== undefined &&
        tag !== d.metadata.version &&
        tag !== d.metadata.version.replace(/\+/g, '_')
      ) {
        report.invalid.push({
          kind: 'application',
          ref: root.refName as string,
          source: label,
          message: `${root.refName} is tagged ${tag} but its metadata.version is ${d.metadata.version}: the spec requires the tag to equal the version`,
          diagnostics: [],
        });
        continue;
      }
      const refName = root.refName ?? packageRefName(d);
      const item = {
        kind: 'application' as const,
        ref: refName,
        id: d.id,
        version: d.metadata.version,
        digest: m.digest,
        source: label,
      };
      const key = `package:${d.id}@${d.metadata.version}`;
      const existing =
        packageManifestDigest(store.db, d.id, d.metadata.version) ?? planned.get(key);
      const judged: ImportedArtifact = {
        ...artifact,
        kind: 'application',
        ref: refName,
        id: d.id,
        version: d.metadata.version,
        organizations: d.metadata.catalog.organization.map((o) => o.name),
      };
      if (existing === m.digest) {
        report.unchanged.push(item);
        artifacts.push(judged);
      } else if (existing) {
        report.conflicts.push({
          ...item,
          existingDigest: existing,
          message: `${d.id}@${d.metadata.version} is already in the catalog with other content (${existing.slice(0, 19)}…, this one ${m.digest.slice(0, 19)}…): it was not replaced; remove it first (catalog remove ${d.id}@${d.metadata.version}) if this one should win`,
        });
      } else {
        planned.set(key, m.digest);
        const descriptionFile = reading.resources.find(
          (r) => r.kind === 'descriptionFile' && r.size <= MAX_SEARCH_TEXT,
        );
        plan.packages.push({
          refName,
          manifestDigest: m.digest,
          description: d,
          warnings: reading.warnings,
          resources: reading.resources,
          source: label,
          descriptionText: descriptionFile
            ? (await readBlob(descriptionFile.digest)).toString('utf8')
            : undefined,
        });
        accepted.push(m.digest);
        report.imported.push(item);
        artifacts.push(judged);
      }
      continue;
    }
    if (m.kind === 'other') {
      report.skipped.push({
        source: label,
        message: `${root.refName ?? m.digest} is neither a Margo package, a component nor an image (artifact type ${m.artifactType ?? 'none'})`,
      });
      continue;
    }
    if (!root.refName) {
      report.skipped.push({
        source: label,
        message: `${m.kind} ${m.digest} has no name in index.json (org.opencontainers.image.ref.name): nothing could refer to it, so it was not imported`,
      });
      continue;
    }
    const kind: ItemKind = m.kind === 'index' ? 'image' : m.kind;
    const item = { kind, ref: root.refName, digest: m.digest, source: label };
    const existing = refDigest(store, root.refName) ?? planned.get(`ref:${root.refName}`);
    if (existing === m.digest) {
      report.unchanged.push(item);
      artifacts.push({ ...artifact, kind, ref: root.refName });
    } else if (existing) {
      report.conflicts.push({
        ...item,
        existingDigest: existing,
        message: `${root.refName} is already in the store with other content (${existing.slice(0, 19)}…): it was not replaced`,
      });
    } else {
      planned.set(`ref:${root.refName}`, m.digest);
      plan.refs.push({ refName: root.refName, manifestDigest: m.digest, kind, source: label });
      accepted.push(m.digest);
      report.imported.push(item);
      artifacts.push({ ...artifact, kind, ref: root.refName });
    }
  }

  // Everything the accepted roots reach, and nothing else the source carried.
  addReachable(plan, accepted, layout, resolved);
  return { plan, artifacts };
}

/** Adds what the given manifests reach (themselves, their configs, layers, children) to the plan. */
function addReachable(
  plan: ImportPlan,
  roots: readonly string[],
  layout: StagedLayout,
  resolved: ResolvedLayout,
): void {
  const stack = [...roots];
  while (stack.length > 0) {
    const digest = stack.pop() as string;
    if (plan.blobs.has(digest)) continue;
    const size = resolved.blobs.get(digest) as number;
    const embedded = resolved.embedded.get(digest);
    const staged = layout.blobs.get(digest);
    plan.blobs.set(
      digest,
      embedded || !staged
        ? { size, bytes: embedded ?? Buffer.alloc(0) }
        : {
            size,
            path: staged.path,
            inStore: staged.inStore ?? false,
          },
    );
    const m = resolved.manifests.get(digest);
    if (m) {
      plan.manifests.set(digest, {
        digest,
        mediaType: m.mediaType,
        artifactType: m.artifactType,
        kind: m.kind,
        children: m.children.map((c) => c.digest),
      });
      stack.push(...m.children.map((c) => c.digest));
    }
  }
}

/** The tag of `name:tag` or `host:port/repo:tag`; undefined when there is none. */
function tagOf(refName: string): string | undefined {
  const colon = refName.lastIndexOf(':');
  return colon > refName.lastIndexOf('/') ? refName.slice(colon + 1) : undefined;
}

function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    ['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EIO'].includes(
      (e as NodeJS.ErrnoException).code as string,
    )
  );
}
