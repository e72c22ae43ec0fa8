import type { AppView, PackageText } from '../../../shared/contract/catalog';
import type { ApplicationDetail } from '../../../shared/contract/catalog-entry';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { Diagnostic } from '../../../shared/validation/diagnostic';
import { compatibilityMatrix } from '../devices/device-compatibility';
import { listDevices } from '../store/device-inventory';
import { applicationHostAccess, type ProfileHostAccess } from '../host-access/component-review';
import { withHostAccessChecks } from '../host-access/host-access-checks';
import { notFound, type CommissionerError } from '../../../shared/contract/contract-error';
import { parseAppRef, showApplication } from '../store/catalog-reader';
import type { Store } from '../store/store';
import { artifactTrustFor } from '../trust/artifact-trust';
import { iconDataUrl } from './application-icon';

/** `id`, `id@version`, or both apart. */
export type AppRefText = string | { id: string; version?: string | undefined };

export function appRefOf(ref: AppRefText): { id: string; version?: string | undefined } {
  return typeof ref === 'string' ? parseAppRef(ref) : ref;
}

/** Texts larger than this are not inlined (a README is kilobytes, not megabytes). */
const MAX_TEXT_BYTES = 1024 * 1024;

/** Says that an application (or one version of it) is not in the catalog, and what to do. */
export function notInCatalog(id: string, version?: string): CommissionerError<'not-found'> {
  const ref = version ? `${id}@${version}` : id;
  return notFound('application', ref, `${ref} is not in the catalog: import its kit first`);
}

/** One application version in full (`catalog show --json`). */
export function applicationDetail(store: Store, ref: AppRefText): ApplicationDetail {
  const { id, version } = appRefOf(ref);
  const detail = showApplication(store.db, id, version);
  if (!detail) throw notInCatalog(id, version);
  return detail;
}

/** The application description of `id[@version]`, with its catalog record. */
export function describedApplication(
  store: Store,
  ref: AppRefText,
): { detail: ApplicationDetail; description: ApplicationDescription } {
  const detail = applicationDetail(store, ref);
  return { detail, description: detail.document as ApplicationDescription };
}

/**
 * The application detail screen's data: the version in full, its description, release notes
 * and license as text (Markdown is rendered by the UI, which never renders raw HTML), the
 * icon as a data URL, the validator's findings, compatibility with every device, what each
 * profile may do to a device itself, and the signature verdicts of what the version brings.
 */
export async function appView(store: Store, id: string, version?: string): Promise<AppView> {
  const { detail, description } = describedApplication(store, { id, version });
  const devices = listDevices(store);
  return {
    detail,
    description: text(store, detail, 'descriptionFile'),
    releaseNotes: text(store, detail, 'releaseNotes'),
    license: text(store, detail, 'licenseFile'),
    icon: iconDataUrl(store, resource(detail, 'icon')),
    findings: detail.diagnostics.flatMap((d) => {
      const parsed = Diagnostic.safeParse(d);
      return parsed.success ? [parsed.data] : [];
    }),
    compatibility: await withHostAccessChecks(
      store,
      description,
      devices,
      compatibilityMatrix(description, devices),
    ),
    hostAccess: await applicationHostAccess(store, description),
    signatures: artifactTrustFor(store, detail.id, detail.version),
  };
}

/** What each profile of one application version may do to a device itself (default values). */
export async function applicationHostAccessOf(
  store: Store,
  detail: ApplicationDetail,
): Promise<ProfileHostAccess[]> {
  return applicationHostAccess(store, detail.document as ApplicationDescription);
}

function resource(detail: ApplicationDetail, kind: string) {
  return detail.resources.find((r) => r.kind === kind);
}

function text(store: Store, detail: ApplicationDetail, kind: string): PackageText | null {
  const r = resource(detail, kind);
  if (!r || !store.blobs.has(r.digest)) return null;
  const format =
    /\.(md|markdown)$/i.test(r.path) || /markdown/i.test(r.mediaType)
      ? 'markdown'
      : /\.(txt|text)$/i.test(r.path) || /\+(plain|text)$/i.test(r.mediaType)
        ? 'text'
        : /\.pdf$/i.test(r.path) || /pdf/i.test(r.mediaType)
          ? 'binary'
          : 'text';
  if (format === 'binary' || r.size > MAX_TEXT_BYTES) {
    return { path: r.path, format: 'binary', text: '' };
  }
  const bytes = store.blobs.read(r.digest);
  const decoded = new TextDecoder('utf-8', { fatal: true });
  try {
    return { path: r.path, format, text: decoded.decode(bytes) };
  } catch {
    return { path: r.path, format: 'binary', text: '' };
  }
}
