import { CommissionerError } from '../../../shared/contract/contract-error';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { ANNOTATION, EMPTY_CONFIG, MEDIA } from '../../../shared/oci/media-types';
import type { Descriptor } from '../../../shared/oci/descriptors';
import { signArtifacts } from '../signatures/signing/sign-artifacts';
import type { SigningIdentity } from '../signatures/signing/signing-identity';
import { inspectPackageDirectory } from '../validation/validate-path';
import { packComposeArchive } from './compose-archive';
import { addImageArchive } from './image-archive';
import { LayoutWriter } from './layout-writer';
import { packageRefName, writePackageArtifact } from './package-artifact';
import { writeKitArchive } from './write-kit-archive';

export interface ComponentSource {
  name: string;
  revision: string;
  dir: string;
}

export interface PackKitOptions {
  packageDir: string;
  /** How the package folder is shown in diagnostics (as the user typed it). */
  packageShownAs: string;
  components: ComponentSource[];
  images: string[];
  out: string;
  onBytes?: (n: number) => void;
  /** Sign every artifact of the kit (Notary Project JWS referrers) with this identity. */
  sign?: { identity: SigningIdentity; agent: string };
}

export interface PackedEntry {
  kind: 'application' | 'compose' | 'image';
  refName: string;
  digest: string;
  /** The signature manifest written for it, when the kit is signed. */
  signature?: string;
}

/** A package or component that cannot be packed: the message says why, diagnostics where. */
export class KitPackError extends CommissionerError<'invalid-document'> {
  constructor(message: string, diagnostics: Diagnostic[] = []) {
    super('invalid-document', message, { diagnostics });
  }

  get diagnostics(): Diagnostic[] {
    return this.details.diagnostics;
  }
}

/** True when `out` names a kit archive rather than a layout folder. */
export function isArchiveName(out: string): { archive: boolean; gzip: boolean } {
  const gzip = /\.(tar\.gz|tgz)$/i.test(out);
  return { archive: gzip || /\.tar$/i.test(out), gzip };
}

/**
 * `kit pack`: writes a spec-conformant OCI layout holding the application package, the compose
 * components given (tagged with the repository and revision the description names), and
 * container images (tagged by their RepoTags). Components the description names but the
 * command does not supply are absent: the kit then carries metadata only for them.
 * Work happens beside `out` and is renamed into place at the end, so a failed pack leaves
 * nothing that looks like a kit.
 */
export async function packKit(options: PackKitOptions): Promise<PackedEntry[]> {
  if (existsSync(options.out))
    throw new KitPackError(`${options.out} already exists: remove it or choose another output`);
  const inspection = await inspectPackageDirectory(options.packageDir, options.packageShownAs);
  const errors = inspection.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !inspection.description) {
    throw new KitPackError(
      `the package ${options.packageShownAs} is not valid: fix it first (see commissioner validate)`,
      inspection.diagnostics,
    );
  }
  const description = inspection.description.result.value as ApplicationDescription;
  const { archive, gzip } = isArchiveName(options.out);
  const work = join(dirname(options.out), `.${basename(options.out)}.partial-${process.pid}`);
  const packed: PackedEntry[] = [];
  const targets: Descriptor[] = [];
  try {
    const writer = await LayoutWriter.create(work);
    const app = await writePackageArtifact(
      options.packageDir,
      inspection.description.name,
      description,
      inspection.packageFiles.files,
      writer,
    );
    packed.push({
      kind: 'application',
      refName: packageRefName(description),
      digest: app.manifest.digest,
    });
    targets.push(app.manifest);
    for (const component of options.components) {
      const added = await addComposeComponent(component, description, writer, work);
      packed.push({ kind: 'compose', refName: added.refName, digest: added.descriptor.digest });
      targets.push(added.descriptor);
    }
    for (const image of options.images) {
      for (const added of await addImageArchive(image, writer, options.onBytes)) {
        packed.push({ kind: 'image', refName: added.refName, digest: added.descriptor.digest });
        targets.push(added.descriptor);
      }
    }
    if (options.sign) {
      // An image tagged twice is one manifest: it is signed once.
      const unique = [...new Map(targets.map((t) => [t.digest, t])).values()];
      const signatures = await signArtifacts(
        writer,
        unique,
        options.sign.identity,
        options.sign.agent,
      );
      const bySubject = new Map(unique.map((t, i) => [t.digest, signatures[i]?.digest]));
      for (const entry of packed) entry.signature = bySubject.get(entry.digest);
    }
    await writer.finish();
    if (archive) {
      const partial = `${options.out}.partial-${process.pid}`;
      try {
        await writeKitArchive(work, partial, gzip, options.onBytes);
        await rename(partial, options.out);
      } finally {
        await rm(partial, { force: true });
      }
    } else {
      await rename(work, options.out);
    }
    return packed;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function addComposeComponent(
  source: ComponentSource,
  description: ApplicationDescription,
  writer: LayoutWriter,
  work: string,
): Promise<{ refName: string; descriptor: Descriptor }> {
  const matches = description.deploymentProfiles.flatMap((p) =>
    p.components.filter((c) => c.name === source.name).map((c) => ({ profile: p, component: c })),
  );
  const names = [
    ...new Set(description.deploymentProfiles.flatMap((p) => p.components.map((c) => c.name))),
  ];
  const compose = matches.find((m) => m.profile.type === 'compose');
  if (!compose) {
    throw new KitPackError(
      matches.length > 0
        ? `component "${source.name}" belongs to a ${matches[0]?.profile.type} profile: kit pack packs compose components only`
        : `the description has no component "${source.name}" (its components: ${names.join(', ')})`,
    );
  }
  const { repository, revision } = compose.component.properties;
  if (!repository?.startsWith('oci://')) {
    throw new KitPackError(
      `component "${source.name}" has no oci:// repository in the description${compose.component.properties.packageLocation ? ' (only a legacy packageLocation)' : ''}: devices could not find its archive by name`,
    );
  }
  if (revision !== source.revision) {
    throw new KitPackError(
      `component "${source.name}" is revision ${revision ?? '(none)'} in the description, not ${source.revision}: pack the revision the description names`,
    );
  }
  const archive = join(work, `.compose-${source.name}.tar.gz`);
  await packComposeArchive(source.dir, source.name, archive);
  const layer = await writer.addFile(archive);
  await rm(archive, { force: true });
  await writer.addBytes('{}');
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    artifactType: MEDIA.margoCompose,
    config: {
      mediaType: EMPTY_CONFIG.mediaType,
      digest: EMPTY_CONFIG.digest,
      size: EMPTY_CONFIG.size,
    },
    layers: [
      {
        mediaType: MEDIA.margoComposeLayer,
        digest: layer.digest,
        size: layer.size,
        annotations: {
          [ANNOTATION.componentType]: 'compose',
          [ANNOTATION.componentVersion]: revision,
          [ANNOTATION.title]: `${source.name}-${revision}.tar.gz`,
          [ANNOTATION.version]: revision,
        },
      },
    ],
  };
  const refName = `${repository.slice('oci://'.length)}:${revision}`;
  const descriptor = await writer.addManifest(manifest, refName, {
    artifactType: MEDIA.margoCompose,
  });
  return { refName, descriptor };
}
