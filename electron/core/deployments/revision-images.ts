import type { ReportImage } from '../../../shared/report/commissioning-report';
import { RenderedRevision } from './docker/rendered-revision';

/**
 * The images a stored revision runs, as its rendered model records them. Only Docker revisions
 * carry one (each service's image id); a Margo device pulls its images itself and an adopted
 * revision has no model, so for those nothing is listed rather than guessed.
 */
export function revisionImages(rendered: unknown): ReportImage[] {
  const parsed = RenderedRevision.safeParse(rendered);
  if (!parsed.success) return [];
  return parsed.data.components.flatMap((component) =>
    component.services.map((service) => ({
      component: component.name,
      service: service.name,
      image: service.image,
      imageId: service.imageId,
      ref: service.imageRef,
    })),
  );
}
