import { HostAccessFinding } from '../compose/host-access';
import { z } from 'zod';
import { CompatibilityRow } from '../compatibility/verdict';
import { Diagnostic } from '../validation/diagnostic';
import { ApplicationDetail, CatalogEntry } from './catalog-entry';
import { ArtifactTrust } from './trust';

/** The catalog as the UI asks for it: a page, searched and filtered. */
export const CatalogQuery = z.strictObject({
  /** Every word must match (prefix match over name, tagline, description, tags, organization). */
  search: z.string().max(200).optional(),
  tags: z.array(z.string()).max(20).optional(),
  organization: z.string().optional(),
  type: z.enum(['compose', 'helm', 'custom']).optional(),
  /** Only applications with a profile this device can run (compatible or unknown). */
  runsOn: z.string().optional(),
  offset: z.number().int().nonnegative().optional(),
  limit: z.number().int().positive().max(10_000).optional(),
});
export type CatalogQuery = z.infer<typeof CatalogQuery>;

export const CatalogPage = z.strictObject({
  total: z.number().int().nonnegative(),
  entries: z.array(CatalogEntry),
});
export type CatalogPage = z.infer<typeof CatalogPage>;

const Facet = z.strictObject({ value: z.string(), count: z.number().int().nonnegative() });

/** What the filters offer, with how many applications each has. */
export const CatalogFacets = z.strictObject({
  tags: z.array(Facet),
  organizations: z.array(Facet),
  types: z.array(Facet),
});
export type CatalogFacets = z.infer<typeof CatalogFacets>;

export const AppRef = z.strictObject({ id: z.string().min(1), version: z.string().optional() });
export type AppRef = z.infer<typeof AppRef>;

/** A package file as the UI shows it: Markdown or text, never raw HTML. */
export const PackageText = z.strictObject({
  path: z.string(),
  /** `markdown`, `text`; a PDF license is not inlined (`binary`). */
  format: z.enum(['markdown', 'text', 'binary']),
  text: z.string(),
});
export type PackageText = z.infer<typeof PackageText>;

/** The application detail screen: the version in full, its texts, icon and compatibility. */
export const AppView = z.strictObject({
  detail: ApplicationDetail,
  description: PackageText.nullable(),
  releaseNotes: PackageText.nullable(),
  license: PackageText.nullable(),
  /** The icon as a data URL (SVG is shown through <img>, where scripts never run). */
  icon: z.string().nullable(),
  /** The validator's findings for this version (warnings: errors never reach the catalog). */
  findings: z.array(Diagnostic),
  /** Each device × profile, with the checks behind the verdict. */
  compatibility: z.array(CompatibilityRow),
  /**
   * Per profile, what it may do to a device itself (read from its compose files with the
   * default values), and why some of it could not be reviewed (Helm charts, missing archives).
   */
  hostAccess: z.array(
    z.strictObject({
      profile: z.string(),
      findings: z.array(HostAccessFinding),
      unreviewed: z.array(z.string()),
    }),
  ),
  /**
   * The signature verdicts of this version's package, the components it names and the images
   * that came with it, under the trust policy that applies (judged again when trust changed).
   */
  signatures: z.array(ArtifactTrust),
});
export type AppView = z.infer<typeof AppView>;

/** Icons for the rows on screen: the list asks for the few it shows, never for thousands. */
export const IconsQuery = z.strictObject({
  apps: z.array(z.strictObject({ id: z.string().min(1), version: z.string().min(1) })).max(200),
});
export type IconsQuery = z.infer<typeof IconsQuery>;

export const Icons = z.strictObject({
  icons: z.array(
    z.strictObject({
      id: z.string(),
      version: z.string(),
      /** A data URL, or null when the package has no icon the UI can show. */
      icon: z.string().nullable(),
    }),
  ),
});
export type Icons = z.infer<typeof Icons>;

/**
 * Where each application of the cards on screen runs, asked for the cards shown (as their
 * icons are): how many devices can run one of its profiles, as the compatibility matrix
 * judges them, and whether it reaches into the device itself.
 */
export const AppReach = z.strictObject({
  apps: z.array(
    z.strictObject({
      id: z.string(),
      version: z.string(),
      /** Devices in the inventory. */
      devices: z.number().int().nonnegative(),
      /** Devices where a profile is compatible. */
      runsOn: z.number().int().nonnegative(),
      /** Devices where none is compatible but one may be: a fact is missing to decide. */
      mayRunOn: z.number().int().nonnegative(),
      /**
       * needed: a profile's compose files reach into the device (privileged, host paths…);
       * none: every profile was reviewed and none does; unknown: a profile could not be
       * reviewed (a Helm chart, a missing archive) and none of the others does.
       */
      hostAccess: z.enum(['needed', 'none', 'unknown']),
    }),
  ),
});
export type AppReach = z.infer<typeof AppReach>;

export const RemovedVersions = z.strictObject({
  removed: z.array(z.strictObject({ id: z.string(), version: z.string() })),
});
export type RemovedVersions = z.infer<typeof RemovedVersions>;
