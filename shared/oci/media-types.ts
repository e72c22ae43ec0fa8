/** Media and artifact types of OCI and of the Margo registry conventions (digest §b.2). */
export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  margoApp: 'application/vnd.margo.app.v1+json',
  margoDescription: 'application/vnd.margo.app.description.v1+yaml',
  margoCompose: 'application/vnd.org.margo.component.compose+json',
  margoComposeLayer: 'application/vnd.org.margo.component.compose.tar+gzip',
} as const;

/** The OCI empty descriptor: the config of every artifact manifest (`{}`). */
export const EMPTY_CONFIG = {
  mediaType: MEDIA.ociEmpty,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
  data: 'e30=',
} as const;

export const ANNOTATION = {
  title: 'org.opencontainers.image.title',
  refName: 'org.opencontainers.image.ref.name',
  version: 'org.opencontainers.image.version',
  description: 'org.opencontainers.image.description',
  margoResource: 'org.margo.app.resource',
  componentType: 'org.margo.component.type',
  componentVersion: 'org.margo.component.version',
} as const;

/** Manifest media types that list other manifests (multi-platform images). */
export const INDEX_MEDIA_TYPES: readonly string[] = [MEDIA.ociIndex, MEDIA.dockerManifestList];
/** Manifest media types that describe one artifact or image. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [MEDIA.ociManifest, MEDIA.dockerManifest];

/** Resource kinds of an application package, as the catalog names them. */
export const RESOURCE_KINDS = ['icon', 'descriptionFile', 'licenseFile', 'releaseNotes'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** `application/vnd.margo.app.icon.v1+png` → icon. */
export function resourceKindOfMediaType(mediaType: string): ResourceKind | undefined {
  const m = /^application\/vnd\.margo\.app\.([A-Za-z]+)\.v1\+[\w.+-]+$/.exec(mediaType);
  const kind = m?.[1];
  return (RESOURCE_KINDS as readonly string[]).includes(kind ?? '')
    ? (kind as ResourceKind)
    : undefined;
}

const FORMAT_BY_EXTENSION: Record<string, string> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  gif: 'gif',
  svg: 'svg+xml',
  webp: 'webp',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'plain',
  pdf: 'pdf',
  html: 'html',
};

/** The media type a package resource gets from its kind and file name (`+{file format}`). */
export function resourceMediaType(kind: ResourceKind, fileName: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  return `application/vnd.margo.app.${kind}.v1+${FORMAT_BY_EXTENSION[ext] ?? (ext || 'octet-stream')}`;
}

/** The `imageLayoutVersion` of the OCI image layouts we write (`oci-layout`). */
export const OCI_LAYOUT_VERSION = '1.0.0';
