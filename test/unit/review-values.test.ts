import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildDeployment } from '../../shared/application-deployment/build-deployment';
import { reviewValues } from '../../shared/application-deployment/deployment-values';
import { chooseProfile } from '../../shared/configuration/form-model';
import { MASK } from '../../shared/configuration/secret-heuristic';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { BASE_DESCRIPTION } from '../support/base-documents';

// The base description with a secret added: a parameter named like one, targeting the monitor.
const description = parse(
  BASE_DESCRIPTION.replace(
    'configuration:',
    `  apiToken:
    value: t0ps3cret
    targets:
      - pointer: API_TOKEN
        components: [monitor]
configuration:`,
  ).replace(
    '  schema:\n',
    `        - parameter: apiToken
          name: API token
          schema: optionalText
  schema:
    - name: optionalText
      dataType: string
      allowEmpty: true
`,
  ),
) as ApplicationDescription;
const profile = chooseProfile(description, 'line-monitor-compose');

function device(name: string, values: Record<string, unknown>, own: string[] = []) {
  const built = buildDeployment({
    description,
    profileId: profile.id,
    deviceId: name,
    id: `id-${name}`,
    values,
  });
  if (!built.ok) throw new Error(JSON.stringify(built.errors));
  return {
    device: name,
    description,
    profile,
    deployment: built.deployment,
    secrets: built.secrets,
    own: new Set(own),
  };
}

describe('the values a review lists', () => {
  it('gives each value, where it goes, and which differ between devices', () => {
    const rows = reviewValues([
      device('press-61', { siteName: 'Press Hall A' }),
      device('press-62', { siteName: 'Press Hall A', pollSeconds: 10 }, ['pollSeconds']),
    ]);
    const on61 = rows.get('press-61') ?? [];
    const on62 = rows.get('press-62') ?? [];
    expect(on61.find((r) => r.parameter === 'siteName')).toEqual({
      parameter: 'siteName',
      setting: 'Site',
      value: 'Press Hall A',
      secret: false,
      targets: [{ component: 'monitor', kind: 'environment variable', pointer: 'SITE_NAME' }],
      own: false,
      differs: false,
    });
    expect(on61.find((r) => r.parameter === 'pollSeconds')).toMatchObject({
      value: '30',
      differs: true,
      own: false,
    });
    expect(on62.find((r) => r.parameter === 'pollSeconds')).toMatchObject({
      setting: 'Poll interval',
      value: '10',
      differs: true,
      own: true,
    });
  });

  it('masks secrets, and says only whether they differ', () => {
    const rows = reviewValues([
      device('press-61', { apiToken: 'Sekret-61' }),
      device('press-62', { apiToken: 'Sekret-62' }),
    ]);
    const token = rows.get('press-61')?.find((r) => r.parameter === 'apiToken');
    expect(token).toMatchObject({ value: MASK, secret: true, differs: true });
    expect(JSON.stringify([...rows.values()])).not.toMatch(/Sekret|t0ps3cret/);
  });

  it('lists only the parameters of the profile; an emptied value (secret or not) is null', () => {
    const rows = reviewValues([device('press-61', { apiToken: '' })]).get('press-61') ?? [];
    expect(rows.map((r) => r.parameter)).toEqual(['apiToken', 'pollSeconds', 'siteName']);
    expect(rows.find((r) => r.parameter === 'apiToken')).toMatchObject({
      value: null,
      secret: true,
    });
  });
});
