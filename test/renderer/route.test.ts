import { describe, expect, it } from 'vitest';
import { deployRoute, hashOf, parseHash, routeDevices } from '../../renderer/src/state/route';

describe('routes', () => {
  it('read the screen and its parameters from the address', () => {
    expect(parseHash('#/devices?device=line-1')).toEqual({
      screen: 'devices',
      params: { device: 'line-1' },
    });
    expect(parseHash('#deployments')).toEqual({ screen: 'deployments', params: {} });
  });

  it('open the catalog for an address they do not know', () => {
    expect(parseHash('')).toEqual({ screen: 'catalog', params: {} });
    expect(parseHash('#/nowhere?x=1')).toEqual({ screen: 'catalog', params: { x: '1' } });
  });

  it('write an address that reads back the same, whatever the names hold', () => {
    const route = {
      screen: 'catalog' as const,
      params: { app: 'com-example-a b&c', version: '1.0.0+build' },
    };
    expect(hashOf(route)).toBe('#/catalog?app=com-example-a+b%26c&version=1.0.0%2Bbuild');
    expect(parseHash(hashOf(route))).toEqual(route);
    expect(hashOf({ screen: 'settings', params: {} })).toBe('#/settings');
  });

  it('carry the deploy wizard’s app, version, devices and job', () => {
    const route = deployRoute({
      app: 'demo',
      version: '1.0.1',
      devices: ['line-1', 'line-2'],
      job: 'j1',
    });
    expect(route).toEqual({
      screen: 'deploy',
      params: { app: 'demo', version: '1.0.1', devices: 'line-1,line-2', job: 'j1' },
    });
    expect(routeDevices(parseHash(hashOf(route)))).toEqual(['line-1', 'line-2']);
    expect(deployRoute({ app: 'demo', devices: [] })).toEqual({
      screen: 'deploy',
      params: { app: 'demo' },
    });
    expect(routeDevices({ screen: 'deploy', params: { devices: ' a, ,b ' } })).toEqual(['a', 'b']);
  });
});
