import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { ParsedHost } from '../../../shared/devices/device-connection';
import { localAddressKind } from './local-address';

/** Where a device or a registry is, as the engineer gave it. */
export type TargetAddress =
  | { what: 'device'; shownAs: string; host: string }
  | { what: 'device'; shownAs: string; socketPath: string }
  /** `host[:port]`, as in an OCI reference. */
  | { what: 'registry'; shownAs: string; registry: string };

/** A Docker device's address, as `parseDockerHost` read it. */
export function deviceAddress(
  connection: Extract<ParsedHost, { ok: true }>['connection'],
  shownAs: string,
): TargetAddress {
  return connection.protocol === 'unix'
    ? { what: 'device', shownAs, socketPath: connection.socketPath }
    : { what: 'device', shownAs, host: connection.host };
}

/** A name server that does not answer must not hold the request for long. */
const RESOLVE_TIMEOUT_MS = 5_000;

/**
 * The rule for faces that others can reach (the browser host): a device or registry on the
 * station itself is refused, because driving the station's own Docker or reading its own
 * services would hand the station to whoever uses that face. Host names are resolved now: a
 * name that resolves to a loopback address is as local as 127.0.0.1. A name that cannot be
 * resolved now passes (the device is added unreachable; registry connections are checked
 * again when they are made). `refuse` false: the face is the person at the station (the CLI,
 * the desktop app), who reaches these anyway.
 */
export async function refuseLocalTarget(target: TargetAddress, refuse: boolean): Promise<void> {
  if (!refuse) return;
  const reason = await localReason(target);
  if (!reason) return;
  const why =
    target.what === 'device'
      ? `refuses devices on its own station, since driving them would let whoever uses it act as the station`
      : `refuses registries on its own station, since reaching them would let whoever uses it read the station's own services`;
  throw new CommissionerError(
    'refused',
    `${target.what === 'registry' ? 'the registry ' : ''}${target.shownAs} is on the station this Commissioner runs on (${reason}): this Commissioner ${why}; whoever started it can allow them`,
    { reasons: [`${target.shownAs}: ${reason}`] },
  );
}

async function localReason(target: TargetAddress): Promise<string | undefined> {
  if ('socketPath' in target) return 'a unix socket of this station';
  const named = 'registry' in target ? new URL(`http://${target.registry}`).hostname : target.host;
  const host = named.replace(/^\[|\]$/g, '');
  if (isIP(host)) return localAddressKind(host);
  const addresses = await resolve(host);
  for (const { address } of addresses) {
    const kind = localAddressKind(address);
    if (kind) return `${host} resolves to ${address}, ${kind}`;
  }
  return undefined;
}

async function resolve(host: string): Promise<{ address: string }[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<[]>((done) => {
    timer = setTimeout(() => done([]), RESOLVE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([lookup(host, { all: true }).catch(() => []), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
