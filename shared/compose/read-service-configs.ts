import type { ServiceConfigModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import { fileMode } from './read-mounts';
import { shown, field, isMapping, readKeys, readName, readText, type Path } from './read-scalars';

/** A service's `configs:` (names, or {source, target, uid, gid, mode}); the target defaults to `/<source>`. */
export function readServiceConfigs(
  r: ComposeReport,
  path: Path,
  value: unknown,
): ServiceConfigModel[] {
  if (!Array.isArray(value)) {
    r.problem(
      path,
      `configs must be a list of config names or {source, target}, not ${shown(value)}`,
    );
    return [];
  }
  const out: ServiceConfigModel[] = [];
  value.forEach((item, i) => {
    const itemPath = field(path, i);
    if (!isMapping(item)) {
      const source = readName(r, itemPath, item, 'each config');
      if (source !== undefined) out.push({ source, target: `/${source}` });
      return;
    }
    const config: Partial<ServiceConfigModel> = {};
    readKeys(
      r,
      itemPath,
      item,
      {
        source: (v, p) => {
          const source = readName(r, p, v, 'source');
          if (source !== undefined) config.source = source;
        },
        target: (v, p) => {
          const target = readName(r, p, v, 'target');
          // A relative target is taken from the root, as docker compose does.
          if (target !== undefined) config.target = target.startsWith('/') ? target : `/${target}`;
        },
        uid: (v, p) => {
          const uid = readText(r, p, v, 'uid');
          if (uid !== undefined) config.uid = uid;
        },
        gid: (v, p) => {
          const gid = readText(r, p, v, 'gid');
          if (gid !== undefined) config.gid = gid;
        },
        mode: (v, p) => {
          const mode = fileMode(r, p, v);
          if (mode !== undefined) config.mode = mode;
        },
      },
      (key) => `${key} is not a config setting: use source, target, uid, gid or mode`,
    );
    if (config.source === undefined) {
      if (!('source' in item))
        r.problem(itemPath, 'a config needs source: the name of a config declared under configs');
      return;
    }
    out.push({ ...config, source: config.source, target: config.target ?? `/${config.source}` });
  });
  return out;
}
