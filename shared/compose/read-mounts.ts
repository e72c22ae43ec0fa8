import { archivePath } from './archive-path';
import { BYTE_SIZE_HINT, parseByteSize } from './byte-size';
import { BindPropagation, type MountModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import {
  shown,
  field,
  isMapping,
  readBool,
  readKeys,
  readName,
  readText,
  type Mapping,
  type Path,
} from './read-scalars';

const CONSISTENCY = ['consistent', 'cached', 'delegated'];
const PROPAGATIONS: readonly string[] = BindPropagation.options;

/**
 * A service's `volumes:`. Short syntax: `name:/path[:opts]` (named volume), `./rel:/path`
 * (a file or folder of the archive), `/abs:/path` (a path of the device), `/path` (anonymous
 * volume); options ro, rw, nocopy, z, Z, a propagation, a consistency hint. Long syntax:
 * {type, source, target, read_only, consistency, volume: {nocopy}, bind: {propagation,
 * create_host_path, selinux}, tmpfs: {size, mode}}.
 */
export function readMounts(r: ComposeReport, path: Path, value: unknown): MountModel[] {
  if (!Array.isArray(value)) {
    r.problem(path, `volumes must be a list, such as ["data:/var/lib/app"], not ${shown(value)}`);
    return [];
  }
  const mounts: MountModel[] = [];
  value.forEach((item, i) => {
    const itemPath = field(path, i);
    const mount = isMapping(item)
      ? longMount(r, itemPath, item)
      : shortMount(r, itemPath, readText(r, itemPath, item, 'a volume'));
    if (mount) mounts.push(mount);
  });
  return mounts;
}

function shortMount(
  r: ComposeReport,
  path: Path,
  text: string | undefined,
): MountModel | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(':');
  if (parts.length === 1) {
    return containerPath(r, path, text, text)
      ? { type: 'volume', target: text, readOnly: false }
      : undefined;
  }
  if (parts.length > 3) {
    r.problem(path, `"${text}" has too many ":": write source:/path/in/container[:options]`);
    return undefined;
  }
  const [source, target, options] = parts as [string, string, string | undefined];
  if (!containerPath(r, path, text, target)) return undefined;
  const mount: MountModel =
    source.startsWith('.') || source.startsWith('/') || source.startsWith('~')
      ? { type: 'bind', source, target, readOnly: false, createHostPath: true }
      : { type: 'volume', source, target, readOnly: false };
  if (source === '') {
    r.problem(path, `"${text}" has an empty source before ":"`);
    return undefined;
  }
  for (const option of options === undefined ? [] : options.split(',')) {
    if (option === 'ro' || option === 'rw') mount.readOnly = option === 'ro';
    else if (option === 'nocopy' && mount.type === 'volume') mount.nocopy = true;
    else if ((option === 'z' || option === 'Z') && mount.type === 'bind') mount.selinux = option;
    else if (PROPAGATIONS.includes(option) && mount.type === 'bind') {
      mount.propagation = option as MountModel['propagation'];
    } else if (CONSISTENCY.includes(option)) mount.consistency = option;
    else {
      r.problem(
        path,
        `"${text}": "${option}" is not a ${mount.type} option: use ro or rw${mount.type === 'bind' ? ', z, Z or a propagation (rprivate, rshared, rslave…)' : ', nocopy'}`,
      );
      return undefined;
    }
  }
  return mount.type === 'bind' ? bindSource(r, path, text, mount) : mount;
}

function longMount(r: ComposeReport, path: Path, item: Mapping): MountModel | undefined {
  const type = readText(r, field(path, 'type'), item.type, 'type');
  if (type === undefined) {
    if (!('type' in item))
      r.problem(path, 'a volume in the long syntax needs type: volume, bind or tmpfs');
    return undefined;
  }
  if (type !== 'volume' && type !== 'bind' && type !== 'tmpfs') {
    r.problem(
      field(path, 'type'),
      `volume type "${type}" is not supported by Commissioner: use volume, bind or tmpfs`,
    );
    return undefined;
  }
  const mount: MountModel = { type, target: '', readOnly: false };
  let ok = true;
  const only = (what: string, wanted: string, p: Path) => {
    if (type === wanted) return true;
    r.problem(p, `${what} applies to ${wanted} mounts only, and this one is ${type}`, {
      atKey: true,
    });
    ok = false;
    return false;
  };
  readKeys(
    r,
    path,
    item,
    {
      type: () => undefined,
      source: (v, p) => {
        if (v === null) return;
        const source = readName(r, p, v, 'source');
        if (source === undefined) ok = false;
        else if (type === 'tmpfs') {
          r.problem(p, 'a tmpfs mount has no source: remove it', { atKey: true });
          ok = false;
        } else mount.source = source;
      },
      target: (v, p) => {
        const target = readName(r, p, v, 'target');
        if (target === undefined || !containerPath(r, p, target, target)) ok = false;
        else mount.target = target;
      },
      read_only: (v, p) => {
        const ro = readBool(r, p, v, 'read_only');
        if (ro === undefined) ok = false;
        else mount.readOnly = ro;
      },
      consistency: (v, p) => {
        const text = readText(r, p, v, 'consistency');
        if (text !== undefined) mount.consistency = text;
      },
      volume: (v, p) => {
        if (!only('volume:', 'volume', p)) return;
        if (!isMapping(v)) {
          r.problem(p, `volume: must be a mapping such as {nocopy: true}, not ${shown(v)}`);
          ok = false;
          return;
        }
        readKeys(
          r,
          p,
          v,
          {
            nocopy: (n, np) => {
              const nocopy = readBool(r, np, n, 'nocopy');
              if (nocopy === undefined) ok = false;
              else if (nocopy) mount.nocopy = true;
            },
          },
          (key) =>
            `volume.${key} is not supported by Commissioner (Docker 20.10 knows only nocopy)`,
        );
      },
      bind: (v, p) => {
        if (!only('bind:', 'bind', p)) return;
        if (!isMapping(v)) {
          r.problem(p, `bind: must be a mapping such as {propagation: rslave}, not ${shown(v)}`);
          ok = false;
          return;
        }
        readKeys(
          r,
          p,
          v,
          {
            propagation: (n, np) => {
              const text = readText(r, np, n, 'propagation');
              if (text !== undefined && PROPAGATIONS.includes(text)) {
                mount.propagation = text as MountModel['propagation'];
              } else if (text !== undefined) {
                r.problem(
                  np,
                  `propagation must be one of ${PROPAGATIONS.join(', ')}, not "${text}"`,
                );
                ok = false;
              }
            },
            create_host_path: (n, np) => {
              const create = readBool(r, np, n, 'create_host_path');
              if (create === undefined) ok = false;
              else mount.createHostPath = create;
            },
            selinux: (n, np) => {
              const text = readText(r, np, n, 'selinux');
              if (text === 'z' || text === 'Z') mount.selinux = text;
              else if (text !== undefined) {
                r.problem(np, `selinux must be z (shared) or Z (private), not "${text}"`);
                ok = false;
              }
            },
          },
          (key) =>
            `bind.${key} is not supported by Commissioner: use propagation, create_host_path or selinux`,
        );
      },
      tmpfs: (v, p) => {
        if (!only('tmpfs:', 'tmpfs', p)) return;
        if (!isMapping(v)) {
          r.problem(p, `tmpfs: must be a mapping such as {size: 64m}, not ${shown(v)}`);
          ok = false;
          return;
        }
        readKeys(
          r,
          p,
          v,
          {
            size: (n, np) => {
              const size = parseByteSize(n);
              if (size === undefined) {
                r.problem(np, `the tmpfs size ${shown(n)} is not a size: ${BYTE_SIZE_HINT}`);
                ok = false;
              } else mount.tmpfsSizeBytes = size;
            },
            mode: (n, np) => {
              const mode = fileMode(r, np, n);
              if (mode === undefined) ok = false;
              else mount.tmpfsMode = mode;
            },
          },
          (key) => `tmpfs.${key} is not supported by Commissioner: use size or mode`,
        );
      },
    },
    (key) =>
      `${key} is not a volume setting: use type, source, target, read_only, volume, bind or tmpfs`,
  );
  if (!('target' in item)) {
    r.problem(path, 'a volume in the long syntax needs target: the path inside the container');
    return undefined;
  }
  if (!ok || mount.target === '') return undefined;
  if (type === 'bind') {
    if (mount.source === undefined) {
      r.problem(
        path,
        'a bind mount needs source: ./folder of the application, or /path on the device',
      );
      return undefined;
    }
    return bindSource(r, path, `${mount.source}:${mount.target}`, mount);
  }
  return mount;
}

/**
 * Relative binds name files of the archive (delivered to the device with the application);
 * absolute ones name paths of the device itself. `~` would be the engineer's laptop.
 */
function bindSource(
  r: ComposeReport,
  path: Path,
  text: string,
  mount: MountModel,
): MountModel | undefined {
  const source = mount.source ?? '';
  if (source.startsWith('/')) {
    mount.bindFrom = 'device';
    return mount;
  }
  const relative = archivePath(source);
  if (!relative.ok) {
    r.problem(path, `"${text}": ${relative.message}`);
    return undefined;
  }
  mount.source = relative.path;
  mount.bindFrom = 'archive';
  return mount;
}

function containerPath(r: ComposeReport, path: Path, text: string, target: string): boolean {
  if (target.startsWith('/')) return true;
  r.problem(
    path,
    `"${text}": the path inside the container must be absolute (start with /), not "${target}"`,
  );
  return false;
}

/**
 * A file mode. Modes are always meant in octal, so `0755`, `0o755`, `755` and "1777" are all
 * read as octal (YAML alone would read an unquoted 0755 as the decimal 755).
 */
export function fileMode(r: ComposeReport, path: Path, value: unknown): number | undefined {
  const text = typeof value === 'number' ? r.written(path, value) : value;
  const m = typeof text === 'string' ? /^\s*(?:0o?)?([0-7]{1,4})\s*$/.exec(text) : null;
  if (m) return parseInt(m[1] as string, 8);
  r.problem(path, `mode must be a file mode in octal, such as 0755, not ${shown(value)}`);
  return undefined;
}
