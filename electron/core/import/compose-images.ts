import { loadCompose } from '../../../shared/compose/load-compose';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import {
  normalizeImageName,
  parseOciReference,
  type OciReference,
} from '../../../shared/oci/reference';
import { defaultVariables } from '../host-access/component-review';
import { extractComposeArchive } from '../kit/compose-archive';

export interface ComposeImages {
  images: OciReference[];
  /** Why an image could not be told (a name that depends on a parameter without default…). */
  problems: string[];
}

/**
 * The images a compose component's services run, read from its archive with the
 * description's default parameter values (the engineer's values are not known at import).
 * Names are normalized as Docker does; `name@sha256:…` keeps its digest.
 */
export async function composeImages(
  archivePath: string,
  digest: string,
  description: ApplicationDescription,
  component: string,
): Promise<ComposeImages> {
  const { files } = await extractComposeArchive(archivePath, digest);
  const variables = defaultVariables(description, component);
  const loaded = loadCompose({
    text: files.get('compose.yaml')?.toString('utf8') ?? '',
    file: `${component}/compose.yaml`,
    variables,
    readFile: (path) => files.get(path)?.toString('utf8'),
  });
  if (!loaded.ok) {
    return {
      images: [],
      problems: [
        `the compose file of ${component} cannot be read: ${loaded.problems[0]?.message ?? ''}`,
      ],
    };
  }
  const images: OciReference[] = [];
  const problems: string[] = [];
  for (const service of loaded.model.services) {
    const name = service.image.includes('@') ? service.image : normalizeImageName(service.image);
    const parsed = parseOciReference(name);
    if (!parsed.ok || service.image.trim() === '') {
      problems.push(
        `service ${service.name} of ${component}: cannot tell its image (${JSON.stringify(service.image)}) before its parameters are set: add the image to a kit`,
      );
      continue;
    }
    if (!images.some((i) => formatKey(i) === formatKey(parsed.reference)))
      images.push(parsed.reference);
  }
  return { images, problems };
}

function formatKey(r: OciReference): string {
  return `${r.registry}/${r.repository}:${r.tag ?? ''}@${r.digest ?? ''}`;
}
