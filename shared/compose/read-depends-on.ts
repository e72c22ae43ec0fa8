import { DependsOnCondition, type DependsOnModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import {
  shown,
  field,
  isMapping,
  readBool,
  readKeys,
  readName,
  readText,
  type Path,
} from './read-scalars';

const CONDITIONS: readonly string[] = DependsOnCondition.options;

/** `depends_on:` as a list of services (started) or a mapping service → {condition, required, restart}. */
export function readDependsOn(r: ComposeReport, path: Path, value: unknown): DependsOnModel[] {
  const out: DependsOnModel[] = [];
  const add = (service: string, p: Path, dependency: DependsOnModel) => {
    if (out.some((d) => d.service === service))
      r.problem(p, `${service} is listed twice in depends_on`);
    else out.push(dependency);
  };
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const service = readName(r, field(path, i), item, 'each item of depends_on');
      if (service === undefined) return;
      add(service, field(path, i), {
        service,
        condition: 'service_started',
        required: true,
        restart: false,
      });
    });
    return out;
  }
  if (!isMapping(value)) {
    r.problem(
      path,
      `depends_on must be a list of services or a mapping of service → {condition}, not ${shown(value)}`,
    );
    return out;
  }
  for (const service of r.keysOf(path, value)) {
    const itemPath = field(path, service);
    const item = value[service];
    const dependency: DependsOnModel = {
      service,
      condition: 'service_started',
      required: true,
      restart: false,
    };
    if (item !== null && !isMapping(item)) {
      r.problem(
        itemPath,
        `each service of depends_on takes {condition, required, restart}, not ${shown(item)}`,
      );
      continue;
    }
    if (isMapping(item)) {
      readKeys(
        r,
        itemPath,
        item,
        {
          condition: (v, p) => {
            const condition = readText(r, p, v, 'condition');
            if (condition !== undefined && CONDITIONS.includes(condition)) {
              dependency.condition = condition as DependsOnModel['condition'];
            } else if (condition !== undefined) {
              r.problem(p, `condition must be ${CONDITIONS.join(', ')}, not "${condition}"`);
            }
          },
          required: (v, p) => (dependency.required = readBool(r, p, v, 'required') ?? true),
          restart: (v, p) => (dependency.restart = readBool(r, p, v, 'restart') ?? false),
        },
        (key) => `${key} is not a depends_on setting: use condition, required or restart`,
      );
    }
    add(service, itemPath, dependency);
  }
  return out;
}
