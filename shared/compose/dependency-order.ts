import type { ComposeModel } from './compose-model';

/**
 * Services in levels: level 0 depends on nothing, each later level only on earlier ones, so
 * a level's services can start in parallel. File order within a level. Services caught in a
 * dependency cycle (the loader refuses those) come last, in file order, rather than never.
 */
export function dependencyOrder(model: Pick<ComposeModel, 'services'>): string[][] {
  return levels(
    model.services.map((s) => ({ service: s.name, dependsOn: s.dependsOn.map((d) => d.service) })),
  );
}

/** The same for plain `{service, dependsOn}` items; dependencies on unknown services are ignored. */
export function levels(
  items: readonly { service: string; dependsOn: readonly string[] }[],
): string[][] {
  const known = new Set(items.map((i) => i.service));
  const placed = new Set<string>();
  const out: string[][] = [];
  let remaining = [...items];
  while (remaining.length > 0) {
    const level = remaining.filter((item) =>
      item.dependsOn.every((d) => !known.has(d) || d === item.service || placed.has(d)),
    );
    if (level.length === 0) {
      out.push(remaining.map((i) => i.service));
      break;
    }
    for (const item of level) placed.add(item.service);
    out.push(level.map((i) => i.service));
    remaining = remaining.filter((item) => !placed.has(item.service));
  }
  return out;
}
