import { describe, expect, it } from 'vitest';
import {
  compareScopes,
  mostSpecificPolicy,
  parseScope,
  scopeMatches,
  type PolicyScope,
} from '../../shared/trust/policy-scope';

function scope(text: string): PolicyScope {
  const parsed = parseScope(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.scope;
}

function canonical(text: string): string {
  const parsed = parseScope(text);
  return parsed.ok ? parsed.canonical : `error: ${parsed.message}`;
}

describe('trust policy scopes', () => {
  it('parses every form into one canonical text, prefixes only where needed', () => {
    expect(canonical('*')).toBe('*');
    expect(canonical(' com.acme.* ')).toBe('com.acme.*');
    expect(canonical('app:com.acme.*')).toBe('com.acme.*');
    expect(canonical('APP:Com.Acme.Monitor')).toBe('com.acme.monitor');
    expect(canonical('app:*')).toBe('app:*');
    expect(canonical('org:  Acme   Industrial  ')).toBe('org:Acme Industrial');
    expect(canonical('registry.plant.local:5000/acme/*')).toBe('registry.plant.local:5000/acme/*');
    expect(canonical('repo:Registry.Plant.Local:5000/acme/line')).toBe(
      'registry.plant.local:5000/acme/line',
    );
    expect(scope('org:Acme')).toEqual({ kind: 'org', name: 'Acme' });
    expect(scope('a/b')).toEqual({ kind: 'repository', pattern: 'a/b' });
  });

  it('refuses what is none of the forms, saying what to write', () => {
    for (const bad of ['', '   ', 'org:', 'com acme', 'foo:bar', 'repo:registry.local', 'a/b c']) {
      const parsed = parseScope(bad);
      expect(parsed.ok, bad).toBe(false);
    }
    const unknown = parseScope('foo:bar');
    expect(!unknown.ok && unknown.message).toMatch(/org:<organization name>/);
    const noSlash = parseScope('repo:registry.local');
    expect(!noSlash.ok && noSlash.message).toMatch(/host\[:port\]\/path/);
    expect(parseScope('x'.repeat(256)).ok).toBe(false);
  });

  it('matches application ids by glob, organizations by name, repositories without tag or digest', () => {
    expect(scopeMatches(scope('*'), {})).toBe(true);
    expect(scopeMatches(scope('com.acme.*'), { appId: 'com.acme.monitor' })).toBe(true);
    expect(scopeMatches(scope('com.acme.*'), { appId: 'com.acmex.monitor' })).toBe(false);
    // The dot is a dot, not "any character".
    expect(scopeMatches(scope('com.acme'), { appId: 'comxacme' })).toBe(false);
    expect(scopeMatches(scope('com.acme.*'), {})).toBe(false);
    expect(scopeMatches(scope('com-example-app'), { appId: 'COM-EXAMPLE-APP' })).toBe(true);
    expect(
      scopeMatches(scope('org:acme  industrial'), { organization: ['Other', 'Acme Industrial'] }),
    ).toBe(true);
    expect(scopeMatches(scope('org:Acme'), { organization: 'Acme Industrial' })).toBe(false);
    expect(scopeMatches(scope('org:Acme'), { appId: 'acme' })).toBe(false);
    const repo = scope('registry.plant.local:5000/acme/*');
    expect(scopeMatches(repo, { repository: 'registry.plant.local:5000/acme/line:1.2' })).toBe(
      true,
    );
    expect(
      scopeMatches(repo, {
        repository: 'registry.plant.local:5000/acme/line@sha256:' + '0'.repeat(64),
      }),
    ).toBe(true);
    expect(scopeMatches(repo, { repository: 'registry.plant.local:5001/acme/line' })).toBe(false);
    expect(
      scopeMatches(scope('registry.plant.local:5000/acme/line'), {
        repository: 'registry.plant.local:5000/acme/line:2',
      }),
    ).toBe(true);
  });

  it('the most specific policy wins: exact app > app glob (longer first) > org > repository (longer first) > *', () => {
    const policies = [
      { scope: '*' },
      { scope: 'registry.plant.local:5000/*' },
      { scope: 'registry.plant.local:5000/acme/*' },
      { scope: 'org:Acme' },
      { scope: 'com.*' },
      { scope: 'com.acme.*' },
      { scope: 'com.acme.monitor' },
    ];
    const subject = {
      appId: 'com.acme.monitor',
      organization: 'Acme',
      repository: 'registry.plant.local:5000/acme/monitor',
    };
    const won = (drop: string[]) =>
      mostSpecificPolicy(
        policies.filter((p) => !drop.includes(p.scope)),
        subject,
      )?.scope ?? null;
    expect(won([])).toBe('com.acme.monitor');
    expect(won(['com.acme.monitor'])).toBe('com.acme.*');
    expect(won(['com.acme.monitor', 'com.acme.*'])).toBe('com.*');
    expect(won(['com.acme.monitor', 'com.acme.*', 'com.*'])).toBe('org:Acme');
    expect(won(['com.acme.monitor', 'com.acme.*', 'com.*', 'org:Acme'])).toBe(
      'registry.plant.local:5000/acme/*',
    );
    expect(
      won([
        'com.acme.monitor',
        'com.acme.*',
        'com.*',
        'org:Acme',
        'registry.plant.local:5000/acme/*',
      ]),
    ).toBe('registry.plant.local:5000/*');
    expect(mostSpecificPolicy(policies, { appId: 'org.other.app' })?.scope).toBe('*');
    expect(mostSpecificPolicy(policies.slice(1), { appId: 'org.other.app' })).toBeNull();
    // Order of the input does not matter.
    expect(mostSpecificPolicy([...policies].reverse(), subject)?.scope).toBe('com.acme.monitor');
  });

  it('sorts for listing in the same order, ties by name', () => {
    const sorted = ['*', 'org:B', 'org:A', 'a/*', 'x.*', 'x.y', 'long.pattern.*']
      .map(scope)
      .sort(compareScopes);
    expect(sorted).toEqual(
      ['x.y', 'long.pattern.*', 'x.*', 'org:A', 'org:B', 'a/*', '*'].map(scope),
    );
  });
});
