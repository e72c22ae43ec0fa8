import type { PortModel, PortProtocol } from './compose-model';
import type { ComposeReport } from './compose-report';
import { shown, field, isMapping, readKeys, readName, readText, type Path } from './read-scalars';

const PROTOCOLS: readonly string[] = ['tcp', 'udp', 'sctp'];

/**
 * `ports:` in the short syntax ("80", "8080:80", "127.0.0.1:8080:80", "[::1]:8080:80",
 * "8080:80/udp", "9000-9002:9000-9002") and the long one ({target, published, protocol,
 * host_ip, mode}). Ranges become one port each, so every port is one binding for Docker.
 */
export function readPorts(r: ComposeReport, path: Path, value: unknown): PortModel[] {
  if (!Array.isArray(value)) {
    r.problem(path, `ports must be a list, such as ["8080:80"], not ${shown(value)}`);
    return [];
  }
  const ports: PortModel[] = [];
  value.forEach((item, i) => {
    const itemPath = field(path, i);
    const read = isMapping(item)
      ? longPort(r, itemPath, item)
      : shortPort(r, itemPath, readText(r, itemPath, item, 'a port'));
    ports.push(...(read ?? []));
  });
  return ports;
}

function shortPort(
  r: ComposeReport,
  path: Path,
  text: string | undefined,
): PortModel[] | undefined {
  if (text === undefined) return undefined;
  const spec = text.trim();
  const slash = spec.lastIndexOf('/');
  const protocol = slash < 0 ? 'tcp' : spec.slice(slash + 1).toLowerCase();
  if (!PROTOCOLS.includes(protocol)) {
    r.problem(path, `"${text}": the protocol must be tcp, udp or sctp, not "${protocol}"`);
    return undefined;
  }
  let rest = slash < 0 ? spec : spec.slice(0, slash);
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') {
      r.problem(path, `"${text}": an IPv6 host address is written in brackets, as [::1]:8080:80`);
      return undefined;
    }
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(':');
  const target = parts.pop() as string;
  const published = parts.length > 0 ? (parts.pop() as string) : undefined;
  if (parts.length > 0) hostIp = parts.join(':').replace(/^\[|\]$/g, '');
  if (hostIp !== undefined && !isAddress(hostIp)) {
    r.problem(path, `"${text}": "${hostIp}" is not an IP address of the device`);
    return undefined;
  }
  return portsOf(r, path, text, target, published || undefined, protocol as PortProtocol, hostIp);
}

function longPort(
  r: ComposeReport,
  path: Path,
  item: Record<string, unknown>,
): PortModel[] | undefined {
  let target: string | undefined;
  let published: string | undefined;
  let protocol = 'tcp';
  let hostIp: string | undefined;
  let ok = true;
  readKeys(
    r,
    path,
    item,
    {
      target: (v, p) => (target = readName(r, p, v, 'target')),
      published: (v, p) => (published = v === null ? undefined : readText(r, p, v, 'published')),
      protocol: (v, p) => {
        const text = readText(r, p, v, 'protocol')?.toLowerCase();
        if (text !== undefined && !PROTOCOLS.includes(text)) {
          r.problem(p, `protocol must be tcp, udp or sctp, not "${text}"`);
          ok = false;
        } else if (text !== undefined) protocol = text;
      },
      host_ip: (v, p) => {
        hostIp = readText(r, p, v, 'host_ip');
        if (hostIp !== undefined && !isAddress(hostIp)) {
          r.problem(p, `"${hostIp}" is not an IP address of the device`);
          ok = false;
        }
      },
      mode: (v, p) => {
        const mode = readText(r, p, v, 'mode');
        if (mode !== undefined && mode !== 'host' && mode !== 'ingress') {
          r.problem(p, `mode must be host or ingress, not "${mode}"`);
          ok = false;
        }
      },
      // Descriptive only: they change nothing on the engine.
      name: () => undefined,
      app_protocol: () => undefined,
    },
    (key) => `${key} is not a port setting: use target, published, protocol, host_ip or mode`,
  );
  if (target === undefined) {
    if (!('target' in item)) r.problem(path, 'a port needs target: the port inside the container');
    return undefined;
  }
  if (!ok) return undefined;
  const text = `${published ? `${published}:` : ''}${target}/${protocol}`;
  return portsOf(r, path, text, target, published || undefined, protocol as PortProtocol, hostIp);
}

function portsOf(
  r: ComposeReport,
  path: Path,
  text: string,
  targetText: string,
  publishedText: string | undefined,
  protocol: PortProtocol,
  hostIp: string | undefined,
): PortModel[] | undefined {
  const target = portRange(targetText);
  const published = publishedText === undefined ? undefined : portRange(publishedText);
  if (target === undefined) {
    r.problem(path, `"${text}": "${targetText}" is not a port (1 to 65535) or a range (9000-9002)`);
    return undefined;
  }
  if (publishedText !== undefined && published === undefined) {
    r.problem(
      path,
      `"${text}": "${publishedText}" is not a port (1 to 65535) or a range (9000-9002)`,
    );
    return undefined;
  }
  const count = target[1] - target[0] + 1;
  if (published && published[1] - published[0] + 1 !== count) {
    r.problem(
      path,
      `"${text}": the host ports and the container ports must be ranges of the same length (9000-9002:9000-9002); a range of host ports for one container port is not supported`,
    );
    return undefined;
  }
  const ports: PortModel[] = [];
  for (let k = 0; k < count; k++) {
    const port: PortModel = { target: target[0] + k, protocol };
    if (published) port.published = published[0] + k;
    if (hostIp !== undefined && hostIp !== '') port.hostIp = hostIp;
    ports.push(port);
  }
  return ports;
}

/** `80` → [80, 80], `9000-9002` → [9000, 9002]; undefined when not ports. */
export function portRange(text: string): [number, number] | undefined {
  const m = /^\s*(\d{1,5})(?:-(\d{1,5}))?\s*$/.exec(text);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || to < from) return undefined;
  return [from, to];
}

function isAddress(text: string): boolean {
  if (text === '') return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return text.split('.').every((o) => Number(o) <= 255);
  return /^[0-9A-Fa-f:.]+$/.test(text) && text.includes(':');
}
