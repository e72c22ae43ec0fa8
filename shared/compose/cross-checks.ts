import type { ComposeModel, PortModel, ServiceModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import { isMapping, type Mapping, type Path } from './read-scalars';

/**
 * Checks across sections, once every service is read: what a service names (services it
 * depends on, networks, volumes, configs) must exist, dependencies must not go round in a
 * circle, and two services must not claim the same container name, host port or mount point.
 * Dependencies that may be absent (`required: false`) are dropped with a warning, as docker
 * compose drops them.
 */
export function crossCheck(r: ComposeReport, model: ComposeModel, raw: Mapping): void {
  // Every service the file names, also one that could not be read: its own problems say why.
  const names = new Set(Object.keys(raw));
  const rawService = (name: string): Mapping => {
    const value = raw[name];
    return isMapping(value) ? value : {};
  };
  for (const service of model.services) {
    const own = rawService(service.name);
    const at = (key: string, item: string | number): { path: Path; atKey: boolean } =>
      entryPath(own[key], ['services', service.name, key], item);
    service.dependsOn = service.dependsOn.filter((dependency) => {
      if (names.has(dependency.service)) return true;
      const { path, atKey } = at('depends_on', dependency.service);
      if (dependency.required) {
        r.problem(
          path,
          `${service.name} depends on ${dependency.service}, which is not a service of this file${closest(dependency.service, names)}`,
          { atKey },
        );
      } else {
        r.warning(
          path,
          `${service.name} may depend on ${dependency.service} (required: false), which is not a service of this file: the dependency is left out`,
          { atKey },
        );
      }
      return false;
    });
    for (const network of service.networks) {
      if (network.name === 'default' || Object.hasOwn(model.networks, network.name)) continue;
      const { path, atKey } = at('networks', network.name);
      r.problem(
        path,
        `the network ${network.name} is not declared: add it under the top-level networks:`,
        { atKey },
      );
    }
    service.mounts.forEach((mount, i) => {
      if (
        mount.type !== 'volume' ||
        mount.source === undefined ||
        Object.hasOwn(model.volumes, mount.source)
      )
        return;
      r.problem(
        ['services', service.name, 'volumes', i],
        `the volume ${mount.source} is not declared: add it under the top-level volumes: (or write ./${mount.source} for a folder of the application)`,
      );
    });
    service.configs.forEach((config, i) => {
      if (Object.hasOwn(model.configs, config.source)) return;
      r.problem(
        ['services', service.name, 'configs', i],
        `the config ${config.source} is not declared: add it under the top-level configs: with file: or content:`,
      );
    });
    checkMountPoints(r, service);
  }
  checkCycles(r, model.services, rawService);
  checkContainerNames(r, model.services);
  checkHostPorts(r, model.services);
}

/** Where a list entry (by value) or a mapping entry (by key) of a service setting is. */
function entryPath(
  value: unknown,
  path: Path,
  item: string | number,
): { path: Path; atKey: boolean } {
  if (Array.isArray(value)) {
    const index = value.indexOf(item);
    return { path: index < 0 ? path : [...path, index], atKey: false };
  }
  if (isMapping(value) && typeof item === 'string' && Object.hasOwn(value, item))
    return { path: [...path, item], atKey: true };
  return { path, atKey: true };
}

function checkCycles(
  r: ComposeReport,
  services: ServiceModel[],
  rawService: (name: string) => Mapping,
): void {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const reported = new Set<string>();
  for (const start of services) {
    // Iterative depth-first walk: the stack is the current chain of dependencies.
    const stack: { name: string; next: number }[] = [{ name: start.name, next: 0 }];
    const onStack = new Set([start.name]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { name: string; next: number };
      const dependencies = byName.get(top.name)?.dependsOn ?? [];
      if (done.has(top.name) || top.next >= dependencies.length) {
        done.add(top.name);
        onStack.delete(top.name);
        stack.pop();
        continue;
      }
      const dependency = (dependencies[top.next++] as { service: string }).service;
      if (onStack.has(dependency)) {
        const from = stack.findIndex((f) => f.name === dependency);
        const cycle = stack.slice(from).map((f) => f.name);
        const key = [...cycle].sort().join('\n');
        if (!reported.has(key)) {
          reported.add(key);
          const first = cycle[0] as string;
          const { path, atKey } = entryPath(
            rawService(first).depends_on,
            ['services', first, 'depends_on'],
            cycle[1] ?? first,
          );
          r.problem(
            path,
            cycle.length === 1
              ? `${first} depends on itself: remove it from its own depends_on`
              : `${[...cycle, first].join(' → ')}: these services depend on each other in a circle, so none of them can start first; remove one of these depends_on`,
            { atKey },
          );
        }
      } else if (!done.has(dependency) && byName.has(dependency)) {
        stack.push({ name: dependency, next: 0 });
        onStack.add(dependency);
      }
    }
  }
}

function checkContainerNames(r: ComposeReport, services: ServiceModel[]): void {
  const owners = new Map<string, string>();
  for (const service of services) {
    if (service.containerName === undefined) continue;
    const owner = owners.get(service.containerName);
    if (owner !== undefined) {
      r.problem(
        ['services', service.name, 'container_name'],
        `${service.name} and ${owner} both want the container name ${service.containerName}: container names must be unique on a device`,
      );
    } else owners.set(service.containerName, service.name);
  }
}

function checkHostPorts(r: ComposeReport, services: ServiceModel[]): void {
  const taken: { service: string; port: PortModel }[] = [];
  const anyAddress = (ip: string | undefined) =>
    ip === undefined || ip === '0.0.0.0' || ip === '::';
  for (const service of services) {
    for (const port of service.ports) {
      if (port.published === undefined) continue;
      const clash = taken.find(
        (t) =>
          t.port.published === port.published &&
          t.port.protocol === port.protocol &&
          (t.port.hostIp === port.hostIp || anyAddress(t.port.hostIp) || anyAddress(port.hostIp)),
      );
      if (clash) {
        const owners =
          clash.service === service.name
            ? `twice by ${service.name}`
            : `by ${clash.service} and ${service.name}`;
        r.problem(
          ['services', service.name, 'ports'],
          `the host port ${port.published}/${port.protocol} is published ${owners}: a port of the device can be published once`,
        );
      } else taken.push({ service: service.name, port });
    }
  }
}

function checkMountPoints(r: ComposeReport, service: ServiceModel): void {
  const seen = new Set<string>();
  const targets = [
    ...service.mounts.map((m) => m.target),
    ...service.configs.map((c) => c.target),
    ...service.tmpfs.map((t) => t.split(':')[0] as string),
  ];
  for (const target of targets) {
    const normalized = target.replace(/\/+$/, '') || '/';
    if (seen.has(normalized)) {
      r.problem(
        ['services', service.name],
        `${service.name} mounts two things at ${normalized}: each path in the container takes one volume, bind, tmpfs or config`,
        { atKey: true },
      );
    }
    seen.add(normalized);
  }
}

function closest(name: string, names: Set<string>): string {
  const lower = name.toLowerCase();
  const match = [...names].find((n) => n.toLowerCase() === lower);
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}
