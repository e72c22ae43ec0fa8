import type { ServiceNetworkModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import {
  shown,
  field,
  isMapping,
  readInt,
  readKeys,
  readName,
  readTextList,
  type Path,
} from './read-scalars';

/**
 * A service's `networks:` (a list of names, or name → null | {aliases, ipv4_address,
 * ipv6_address, priority}), ordered as docker compose connects them: highest priority
 * first, then by name. The first is the one the container is created on.
 */
export function readServiceNetworks(
  r: ComposeReport,
  path: Path,
  value: unknown,
): ServiceNetworkModel[] {
  const out: ServiceNetworkModel[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const name = readName(r, field(path, i), item, 'each network');
      if (name === undefined) return;
      if (out.some((n) => n.name === name))
        r.problem(field(path, i), `the network ${name} is listed twice`);
      else out.push({ name, aliases: [] });
    });
  } else if (isMapping(value)) {
    for (const name of r.keysOf(path, value)) {
      const item = value[name];
      const itemPath = field(path, name);
      const network: ServiceNetworkModel = { name, aliases: [] };
      if (isMapping(item)) {
        readKeys(
          r,
          itemPath,
          item,
          {
            aliases: (v, p) => (network.aliases = readTextList(r, p, v, 'aliases') ?? []),
            ipv4_address: (v, p) => {
              const address = readName(r, p, v, 'ipv4_address');
              if (address !== undefined) network.ipv4Address = address;
            },
            ipv6_address: (v, p) => {
              const address = readName(r, p, v, 'ipv6_address');
              if (address !== undefined) network.ipv6Address = address;
            },
            priority: (v, p) => {
              const priority = readInt(r, p, v, 'priority');
              if (priority !== undefined) network.priority = priority;
            },
          },
          (key) =>
            `${key} is not supported by Commissioner for a service's network: use aliases, ipv4_address, ipv6_address or priority`,
        );
      } else if (item !== null) {
        r.problem(
          itemPath,
          `each network takes null or {aliases, ipv4_address, ipv6_address}, not ${shown(item)}`,
        );
      }
      out.push(network);
    }
  } else {
    r.problem(path, `networks must be a list of network names or a mapping, not ${shown(value)}`);
  }
  return out.sort(
    (a, b) =>
      (b.priority ?? 0) - (a.priority ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
