import { canonicalJson } from '../../../shared/compose/canonical-json';
import { reviewHostAccess, type HostAccessFinding } from '../../../shared/compose/host-access';
import { loadCompose, type ComposeProblem } from '../../../shared/compose/load-compose';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import type {
  ApplicationDescription,
  DeploymentProfile,
} from '../../../shared/margo/application-description';
import type { Component } from '../../../shared/margo/components';
import { findComposeArchive } from '../deployments/docker/compose-sources';
import { variablesFor } from '../deployments/docker/prepare-revision';
import { extractComposeArchive } from '../kit/compose-archive';
import type { Store } from '../store/store';

/** What the review of one compose file found, or why it could not be done. */
export type ComposeReview =
  { ok: true; findings: HostAccessFinding[] } | { ok: false; problems: ComposeProblem[] };

/**
 * The host-access review of a compose file given as the archive's files: the file is read
 * with the variables given (what a deployment would interpolate), then reviewed.
 */
function reviewComposeFiles(
  files: ReadonlyMap<string, Buffer>,
  component: string,
  variables: Readonly<Record<string, string>>,
  file = `${component}/compose.yaml`,
): ComposeReview {
  const loaded = loadCompose({
    text: files.get('compose.yaml')?.toString('utf8') ?? '',
    file,
    variables,
    readFile: (path) => files.get(path)?.toString('utf8'),
  });
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  return { ok: true, findings: reviewHostAccess(loaded.model, component) };
}

/**
 * Archives are content-addressed: the same archive read with the same variables always gives
 * the same findings, so the catalog and the compatibility views need not unpack it each time.
 */
const cache = new Map<string, ComposeReview>();
const CACHE_ENTRIES = 500;

/** Reviews a component's compose archive from the store; undefined when the store lacks it. */
export async function reviewStoredComponent(
  store: Store,
  component: Component,
  variables: Readonly<Record<string, string>>,
): Promise<ComposeReview | undefined> {
  const archive = findComposeArchive(store, component);
  if (!archive) return undefined;
  const key = `${archive.digest}\n${component.name}\n${canonicalJson(variables)}`;
  const known = cache.get(key);
  if (known) return known;
  let review: ComposeReview;
  try {
    const { files } = await extractComposeArchive(archive.path, archive.digest);
    review = reviewComposeFiles(files, component.name, variables);
  } catch (e) {
    review = {
      ok: false,
      problems: [
        {
          file: `${component.name}/compose.yaml`,
          line: 1,
          column: 1,
          path: '',
          message: (e as Error).message,
        },
      ],
    };
  }
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, review);
  return review;
}

/** What a profile may do on a device, as far as it can be told before any value is chosen. */
export interface ProfileHostAccess {
  profile: string;
  findings: HostAccessFinding[];
  /** Why some of it could not be reviewed (a Helm chart, an archive the store lacks). */
  unreviewed: string[];
}

/**
 * The host access of every profile of an application, read with the description's default
 * parameter values (what the catalog and the compatibility views can know). A deployment's
 * plan reviews again with its own values (`deploymentHostAccess`).
 */
export async function applicationHostAccess(
  store: Store,
  description: ApplicationDescription,
): Promise<ProfileHostAccess[]> {
  const out: ProfileHostAccess[] = [];
  for (const profile of description.deploymentProfiles) {
    out.push(await profileHostAccess(store, description, profile));
  }
  return out;
}

export async function profileHostAccess(
  store: Store,
  description: ApplicationDescription,
  profile: DeploymentProfile,
): Promise<ProfileHostAccess> {
  const result: ProfileHostAccess = { profile: profile.id, findings: [], unreviewed: [] };
  if (profile.type !== 'compose') {
    result.unreviewed.push(
      `profile ${profile.id} is a ${profile.type} profile: only compose files are reviewed for host access, so what it may do on a device is not known`,
    );
    return result;
  }
  for (const component of profile.components) {
    const review = await reviewStoredComponent(
      store,
      component,
      defaultVariables(description, component.name),
    );
    if (!review) {
      result.unreviewed.push(
        `the compose archive of component ${component.name} is not in the store: its host access is reviewed once it is imported`,
      );
    } else if (!review.ok) {
      result.unreviewed.push(
        `the compose file of component ${component.name} cannot be read with the default values: ${review.problems[0]?.message ?? ''}`,
      );
    } else result.findings.push(...review.findings);
  }
  return result;
}

/**
 * The host access of a rendered deployment (its own parameter values), for devices that read
 * their compose files themselves (Margo): the same review the Docker plan makes of its models.
 */
export async function deploymentHostAccess(
  store: Store,
  deployment: ApplicationDeployment,
): Promise<Omit<ProfileHostAccess, 'profile'>> {
  const result: Omit<ProfileHostAccess, 'profile'> = { findings: [], unreviewed: [] };
  const profile = deployment.spec.deploymentProfile;
  if (profile.type !== 'compose') {
    result.unreviewed.push(
      `this is a ${profile.type} profile: only compose files are reviewed for host access, so what its chart may do on the device is not known`,
    );
    return result;
  }
  for (const component of profile.components) {
    const review = await reviewStoredComponent(
      store,
      component,
      variablesFor(deployment, component.name),
    );
    if (!review) {
      result.unreviewed.push(
        `the compose archive of component ${component.name} is not in the store: its host access cannot be reviewed`,
      );
    } else if (!review.ok) {
      result.unreviewed.push(
        `the compose file of component ${component.name} cannot be read: ${review.problems[0]?.message ?? ''}`,
      );
    } else result.findings.push(...review.findings);
  }
  return result;
}

/** Compose variables from the description's defaults (the engineer's values are not known yet). */
export function defaultVariables(
  description: ApplicationDescription,
  component: string,
): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const parameter of Object.values(description.parameters ?? {})) {
    if (parameter.value === undefined || parameter.value === null) continue;
    for (const target of parameter.targets) {
      if (!target.components.includes(component)) continue;
      variables[target.pointer.replace(/^env\./i, '')] = variableText(parameter.value);
    }
  }
  return variables;
}

function variableText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}
