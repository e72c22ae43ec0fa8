import { describe, expect, it } from 'vitest';
import {
  componentState,
  MargoState,
  mostSevere,
  type ObservedContainer,
} from '../../shared/compose/margo-state';

const running: ObservedContainer = { state: 'running', health: 'healthy', oneShot: false };

describe('mostSevere', () => {
  it('failed > removing > installing > pending > removed > installed', () => {
    const order = ['failed', 'removing', 'installing', 'pending', 'removed', 'installed'] as const;
    for (let i = 0; i < order.length; i++) {
      // Each state wins over every state after it, whatever the input order.
      expect(mostSevere([...order.slice(i)].reverse())).toBe(order[i]);
    }
    expect(mostSevere(['installed', 'installed'])).toBe('installed');
    expect(mostSevere([])).toBeUndefined();
  });

  it('the states are the Margo enum', () => {
    expect(MargoState.options).toEqual([
      'pending',
      'installing',
      'installed',
      'failed',
      'removing',
      'removed',
    ]);
  });
});

describe('componentState', () => {
  it.each<
    [
      string,
      ObservedContainer[],
      'applying' | 'settled' | 'removing',
      { state: string; reason?: string },
    ]
  >([
    ['running and healthy', [running], 'settled', { state: 'installed' }],
    [
      'running without a healthcheck',
      [{ state: 'running', oneShot: false }],
      'settled',
      { state: 'installed' },
    ],
    [
      'health starting while applying',
      [{ ...running, health: 'starting' }],
      'applying',
      { state: 'installing', reason: 'health check starting' },
    ],
    [
      'unhealthy',
      [running, { ...running, health: 'unhealthy' }],
      'applying',
      { state: 'failed', reason: 'health check failing' },
    ],
    [
      'one-shot exited 0',
      [running, { state: 'exited', exitCode: 0, oneShot: true }],
      'settled',
      { state: 'installed' },
    ],
    [
      'a one-shot (no restart policy) still running while applying',
      [{ state: 'running', oneShot: true }],
      'applying',
      { state: 'installing', reason: 'one-shot task still running' },
    ],
    [
      'a one-shot (no restart policy) still running once settled: a service that runs on',
      [running, { state: 'running', oneShot: true }],
      'settled',
      { state: 'installed' },
    ],
    [
      'exited non-zero',
      [running, { state: 'exited', exitCode: 1, oneShot: true }],
      'applying',
      { state: 'failed', reason: 'container exited with code 1' },
    ],
    [
      'a service that stopped with 0 once settled',
      [{ state: 'exited', exitCode: 0, oneShot: false }],
      'settled',
      { state: 'failed', reason: 'container stopped (exit code 0)' },
    ],
    [
      'restarting while applying',
      [{ state: 'restarting', oneShot: false }],
      'applying',
      { state: 'installing', reason: 'container is restarting' },
    ],
    [
      'restarting when settled',
      [{ state: 'restarting', oneShot: false }],
      'settled',
      { state: 'failed', reason: 'container keeps restarting' },
    ],
    [
      'created while applying',
      [{ state: 'created', oneShot: false }],
      'applying',
      { state: 'installing', reason: 'container created but not started' },
    ],
    [
      'dead',
      [{ state: 'dead', oneShot: false }],
      'applying',
      { state: 'failed', reason: 'container is dead' },
    ],
    [
      'nothing yet while applying',
      [],
      'applying',
      { state: 'installing', reason: 'containers not created yet' },
    ],
    ['nothing when settled', [], 'settled', { state: 'failed', reason: 'no container is running' }],
    [
      'removing with containers left',
      [running],
      'removing',
      { state: 'removing', reason: '1 container still to remove' },
    ],
    ['removed', [], 'removing', { state: 'removed' }],
  ])('%s', (_what, containers, phase, expected) => {
    expect(componentState(containers, phase)).toEqual(expected);
  });
});
