import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { localAddressKind } from './local-address';

/**
 * A `lookup` for sockets that must not reach the station itself: the name is resolved once,
 * and the connection is made to what was checked, so a name that resolves elsewhere for the
 * check and to 127.0.0.1 for the connection (DNS rebinding) is caught too. IP literals never
 * reach a lookup: the caller checks them with `localAddressKind`.
 */
export function lookupRefusingLocal(
  refused: (host: string, address: string, kind: string) => Error,
): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      for (const a of list) {
        const kind = localAddressKind(a.address);
        if (kind) return callback(refused(hostname, a.address, kind), '', 0);
      }
      if ((options as LookupOptions).all) {
        (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, list);
      } else {
        const first = list[0];
        if (!first)
          return callback(
            Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }),
            '',
            0,
          );
        callback(null, first.address, first.family);
      }
    });
  };
}
