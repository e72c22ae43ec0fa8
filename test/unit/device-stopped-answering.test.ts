import { describe, expect, it } from 'vitest';
import { deviceStoppedAnswering } from '../../electron/core/deployments/docker/device-stopped-answering';
import { deviceFailure } from '../../electron/core/images/side-load-error';

/**
 * A device that answered when the deploy began and then stopped (issue 16): one sentence of
 * what happened, one of what to do, the device and the work named, the raw error apart. The
 * errors are made as Node makes them (a code on an Error): a daemon cannot be made to fail
 * between two particular calls, so the integration test (deploy-faults) kills a real one.
 */
const RAW = /E[A-Z]{3,}|\b[A-Z][A-Za-z]*(Error|Failure)\b/;
const system = (code: string, message: string) => Object.assign(new Error(message), { code });
const context = { device: 'press-7', doing: 'applying line-app' };

describe('a device that stopped answering mid-deploy', () => {
  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 10.0.7.42:2376', /stopped accepting connections/],
    ['ECONNRESET', 'read ECONNRESET', /cut the connection/],
    ['EPIPE', 'write EPIPE', /cut the connection/],
    ['ETIMEDOUT', 'connect ETIMEDOUT 10.0.7.42:2376', /stopped answering/],
    ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.7.42:2376', /stopped answering/],
  ])('%s is said in words, the code kept apart', (code, text, words) => {
    const said = deviceStoppedAnswering(system(code, text), context);
    expect(said?.code).toBe('device-unreachable');
    expect(said?.message).toMatch(words);
    expect(said?.message).toMatch(
      /^press-7 .* while applying line-app[:,] .*\. Check .*deploy again/,
    );
    expect(said?.message).not.toMatch(RAW);
    expect(said?.message).not.toMatch(/-H tcp|client certificate|wrong port/);
    expect(said?.detail).toContain(code);
  });

  it('a side-load cut or refused mid-way is the same story, with the image named', () => {
    const cut = deviceFailure(system('ECONNRESET', 'socket hang up'), 'busybox:1', 'tcp://d:2376', {
      sent: 5 * 2 ** 20,
      total: 10 * 2 ** 20,
    });
    expect(cut.message).not.toMatch(RAW);
    const refused = deviceFailure(
      system('ECONNREFUSED', 'connect ECONNREFUSED 10.0.7.42:2376'),
      'busybox:1',
      'tcp://d:2376',
    );
    for (const e of [cut, refused]) {
      const said = deviceStoppedAnswering(e, { device: 'press-7', doing: 'receiving busybox:1' });
      expect(said?.message).toContain('while receiving busybox:1');
      expect(said?.message).not.toMatch(RAW);
      expect(said?.message).not.toContain('-H tcp');
      expect(said?.detail).toMatch(/ECONN(RESET|REFUSED)/);
    }
  });

  it('what is not a lost connection is left to the other diagnoses', () => {
    expect(deviceStoppedAnswering(system('ENOSPC', 'no space left'), context)).toBeUndefined();
    expect(
      deviceStoppedAnswering(Object.assign(new Error('conflict'), { statusCode: 409 }), context),
    ).toBeUndefined();
  });
});
