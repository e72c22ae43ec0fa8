import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLoopback, localAddressKind } from '../../electron/core/local-targets/local-address';
import { refuseLocalTarget } from '../../electron/core/local-targets/refuse-local-target';
import { parseByteSize } from '../../electron/browser-host/byte-size';
import { CommissionerError } from '../../shared/contract/contract-error';

describe('addresses of the station itself', () => {
  it('loopback, "this host" and link-local, in IPv4, IPv6 and IPv4-mapped forms', () => {
    expect(localAddressKind('127.0.0.1')).toBe('a loopback address');
    expect(localAddressKind('127.45.6.7')).toBe('a loopback address');
    expect(localAddressKind('::1')).toBe('a loopback address');
    expect(localAddressKind('[::1]')).toBe('a loopback address');
    expect(localAddressKind('::ffff:127.0.0.1')).toBe('a loopback address');
    expect(localAddressKind('::ffff:7f00:1')).toBe('a loopback address');
    expect(localAddressKind('0.0.0.0')).toBe('an address meaning this station');
    expect(localAddressKind('::')).toBe('an address meaning this station');
    expect(localAddressKind('169.254.169.254')).toBe('a link-local address');
    expect(localAddressKind('fe80::1%eth0')).toBe('a link-local address');
    expect(localAddressKind('FE80::abcd')).toBe('a link-local address');
  });

  it('the station’s own interface addresses too; addresses elsewhere are not local', () => {
    const own = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80'));
    for (const a of own) expect(localAddressKind(a!.address)).toBe('an address of this station');
    for (const elsewhere of ['10.77.200.2', '203.0.113.9', '2001:db8::5', '::ffff:203.0.113.9']) {
      expect(localAddressKind(elsewhere)).toBeUndefined();
    }
    expect(localAddressKind('registry.plant.local')).toBeUndefined();
  });

  it('loopback alone, for choosing HTTP or HTTPS', () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '169.254.1.1', '10.0.0.5', 'station.plant.local'].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('the local-target rule', () => {
  const refusal = async (target: Parameters<typeof refuseLocalTarget>[0]) => {
    try {
      await refuseLocalTarget(target, true);
    } catch (e) {
      return e as CommissionerError<'refused'>;
    }
    return undefined;
  };

  it('refuses a unix socket, a loopback address and a name that resolves to one, saying why', async () => {
    const socket = await refusal({
      what: 'device',
      shownAs: 'unix:///var/run/docker.sock',
      socketPath: '/var/run/docker.sock',
    });
    expect(socket).toBeInstanceOf(CommissionerError);
    expect(socket?.name).toBe('refused');
    expect(socket?.details.reasons).toEqual([
      'unix:///var/run/docker.sock: a unix socket of this station',
    ]);
    expect(socket?.message).toContain('whoever started it can allow them');
    expect(socket?.message).not.toMatch(/--/);
    const named = await refusal({
      what: 'registry',
      shownAs: 'localhost:5000',
      registry: 'localhost:5000',
    });
    expect(named?.details.reasons[0]).toMatch(
      /^localhost:5000: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/,
    );
    const bracketed = await refusal({
      what: 'registry',
      shownAs: '[::1]:5000',
      registry: '[::1]:5000',
    });
    expect(bracketed?.details.reasons).toEqual(['[::1]:5000: a loopback address']);
  });

  it('lets addresses elsewhere through, and everything when the face allows it', async () => {
    expect(
      await refusal({ what: 'device', shownAs: 'tcp://10.77.9.2:2376', host: '10.77.9.2' }),
    ).toBeUndefined();
    await expect(
      refuseLocalTarget({ what: 'device', shownAs: 'unix:///x', socketPath: '/x' }, false),
    ).resolves.toBeUndefined();
  });
});

describe('upload sizes on the command line', () => {
  it('bytes or binary units; decimal units and nonsense refused', () => {
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize('500MiB')).toBe(500 * 1024 ** 2);
    expect(parseByteSize('16GiB')).toBe(16 * 1024 ** 3);
    expect(parseByteSize('16Gi')).toBe(16 * 1024 ** 3);
    expect(parseByteSize('1.5KiB')).toBe(1536);
    for (const bad of ['16GB', '16 gigs', '', '-5', 'GiB'])
      expect(parseByteSize(bad)).toBeUndefined();
  });
});
