import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TrustEntryView, TrustPolicyView } from '../../shared/contract/trust-store';
import { TrustSettings } from '../../renderer/src/screens/settings/TrustSettings';
import { AppProvider } from '../../renderer/src/state/app-state';
import { derived, testIds } from '../../renderer/src/test-ids';
import { MemoryTransport } from './support/memory-transport';
import { APP_INFO } from './support/app-info';

const plant: TrustEntryView = {
  name: 'plant',
  type: 'ca',
  fingerprint: 'sha256:e38aea13f2b051f7183cca64a51ee676f4d4456f41d9fecf15eb367efc7343b9',
  subjects: ['O=Acme, CN=Plant CA', 'O=Acme, CN=Plant Intermediate'],
  notBefore: '2024-01-01T00:00:00.000Z',
  notAfter: '2124-01-01T00:00:00.000Z',
  addedAt: '2026-01-01T00:00:00.000Z',
  usedBy: ['com.acme.*'],
};
const old: TrustEntryView = {
  ...plant,
  name: 'old',
  type: 'tsa',
  subjects: ['CN=Old TSA'],
  notBefore: '2020-01-01T00:00:00.000Z',
  notAfter: '2021-01-01T00:00:00.000Z',
  usedBy: [],
};
const policies: TrustPolicyView[] = [
  {
    scope: 'com.acme.*',
    kind: 'app',
    level: 'audit',
    trust: ['plant'],
    identities: ['O=Acme, CN=Release'],
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
  {
    scope: '*',
    kind: 'all',
    level: 'strict',
    trust: null,
    identities: [],
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
];

function setup(entries = [plant, old], listed = policies) {
  const core = new MemoryTransport({
    'app.info': () => APP_INFO,
    'jobs.list': () => [],
    'trust.list': () => entries,
    'trust.policies': () => listed,
  });
  render(
    <AppProvider transport={core}>
      <TrustSettings />
    </AppProvider>,
  );
  return core;
}

function type(testId: string, text: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value: text } });
}

// MUI dialogs take over a second on their first render beside other test files on two cores.
describe('Settings → Trust', { timeout: 20_000 }, () => {
  it('lists entries (kind, subject, validity, short fingerprint) and policies with levels in words', async () => {
    setup();
    const row = await screen.findByTestId(testIds.trust.entry('plant'));
    expect(row.textContent).toContain('Certificate authority');
    expect(row.textContent).toContain('O=Acme, CN=Plant CA and 1 more');
    expect(row.textContent).toContain('2024-01-01 – 2124-01-01');
    expect(row.textContent).toContain('e38a ea13 f2b0 51f7');
    expect(screen.getByTestId(testIds.trust.entry('old')).textContent).toContain(
      'expired 2021-01-01',
    );
    expect(screen.getByTestId(testIds.trust.policyLevel('com.acme.*')).textContent).toBe(
      'Warn and record',
    );
    expect(screen.getByTestId(testIds.trust.policyLevel('*')).textContent).toBe(
      'Refuse unsigned or invalid',
    );
    const star = screen.getByTestId(testIds.trust.policy('*'));
    expect(star.textContent).toContain('Every entry');
    expect(star.textContent).toContain('Any signer');
    // Words for people: no type keys or flags.
    const text = screen.getByTestId(testIds.trust.section).textContent ?? '';
    expect(text).not.toMatch(/--|signingAuthority|sigstore-key|\bstrict\b|\baudit\b/);
  });

  it('says when nothing is trusted and no policy exists (nothing is required)', async () => {
    setup([], []);
    expect((await screen.findByTestId(testIds.trust.entriesEmpty)).textContent).toMatch(
      /Nothing is trusted yet/,
    );
    expect(screen.getByTestId(testIds.trust.policiesEmpty).textContent).toMatch(
      /signatures are not required/,
    );
  });

  it('removing an entry that policies use names them, and asks the core to drop it from them', async () => {
    const core = setup();
    fireEvent.click(await screen.findByTestId(testIds.trust.entryRemove('plant')));
    const dialog = await screen.findByTestId(testIds.trust.removeDialog);
    expect(within(dialog).getByTestId(testIds.trust.removeUsedBy).textContent).toContain(
      'The policies for com.acme.* trust plant',
    );
    fireEvent.click(within(dialog).getByTestId(derived.confirm(testIds.trust.removeDialog)));
    await waitFor(() => expect(core.callsOf('trust.remove')).toHaveLength(1));
    expect(core.callsOf('trust.remove')[0]?.request).toEqual({
      name: 'plant',
      dropFromPolicies: true,
    });
  });

  it('an entry no policy uses is removed without dropping anything', async () => {
    const core = setup();
    fireEvent.click(await screen.findByTestId(testIds.trust.entryRemove('old')));
    const dialog = await screen.findByTestId(testIds.trust.removeDialog);
    expect(within(dialog).queryByTestId(testIds.trust.removeUsedBy)).toBeNull();
    fireEvent.click(within(dialog).getByTestId(derived.confirm(testIds.trust.removeDialog)));
    await waitFor(() => expect(core.callsOf('trust.remove')).toHaveLength(1));
    expect(core.callsOf('trust.remove')[0]?.request).toEqual({
      name: 'old',
      dropFromPolicies: false,
    });
  });

  it('a new policy: the scope is checked before asking, then level, entries and signers are sent', async () => {
    const core = setup();
    fireEvent.click(await screen.findByTestId(testIds.trust.setPolicy));
    await screen.findByTestId(testIds.trust.policyDialog);
    type(testIds.trust.policyScope, 'foo:bar');
    fireEvent.click(screen.getByTestId(testIds.trust.policySubmit));
    expect(await screen.findByText(/is not a scope/)).toBeTruthy();
    expect(core.callsOf('trust.setPolicy')).toEqual([]);

    type(testIds.trust.policyScope, 'org:Acme');
    expect(screen.getByText('Covers applications of Acme')).toBeTruthy();
    fireEvent.click(screen.getByTestId(testIds.trust.policyLevelOption('audit')));
    fireEvent.click(screen.getByTestId(testIds.trust.policyTrustAll));
    fireEvent.click(screen.getByTestId(testIds.trust.policySubmit));
    expect(await screen.findByText('choose at least one entry, or every entry')).toBeTruthy();
    expect(core.callsOf('trust.setPolicy')).toEqual([]);

    fireEvent.click(screen.getByTestId(testIds.trust.policyTrustEntry('old')));
    type(testIds.trust.policyIdentities, ' O=Acme, CN=Release \n\n');
    fireEvent.click(screen.getByTestId(testIds.trust.policySubmit));
    await waitFor(() => expect(core.callsOf('trust.setPolicy')).toHaveLength(1));
    expect(core.callsOf('trust.setPolicy')[0]?.request).toEqual({
      scope: 'org:Acme',
      level: 'audit',
      trust: ['old'],
      identities: ['O=Acme, CN=Release'],
    });
  });

  it('editing a policy keeps its scope and shows the core’s refusal', async () => {
    const core = setup();
    fireEvent.click(await screen.findByTestId(testIds.trust.policyEdit('com.acme.*')));
    await screen.findByTestId(testIds.trust.policyDialog);
    expect((screen.getByTestId(testIds.trust.policyScope) as HTMLInputElement).disabled).toBe(true);
    expect(
      (screen.getByTestId(testIds.trust.policyTrustEntry('plant')) as HTMLInputElement).checked,
    ).toBe(true);
    fireEvent.click(screen.getByTestId(testIds.trust.policyLevelOption('strict')));
    fireEvent.click(screen.getByTestId(testIds.trust.policySubmit));
    await waitFor(() => expect(core.callsOf('trust.setPolicy')).toHaveLength(1));
    expect(core.callsOf('trust.setPolicy')[0]?.request).toMatchObject({
      scope: 'com.acme.*',
      level: 'strict',
      trust: ['plant'],
      identities: ['O=Acme, CN=Release'],
    });
    act(() =>
      core.callsOf('trust.setPolicy')[0]?.fail({
        name: 'invalid-input',
        message: 'the trust store has no entry named plant',
        details: { field: 'trust' },
      }),
    );
    expect(
      (await screen.findByTestId(derived.message(testIds.trust.policyError))).textContent,
    ).toBe('the trust store has no entry named plant');
  });

  it('adding: name and file are asked for; the picked token is sent; warnings show before Done', async () => {
    const core = setup();
    core.pickFile = () => Promise.resolve({ token: 'tok-1', name: 'tsa.pem', kind: 'file' });
    fireEvent.click(await screen.findByTestId(testIds.trust.add));
    await screen.findByTestId(testIds.trust.addDialog);
    fireEvent.click(screen.getByTestId(testIds.trust.addSubmit));
    expect(await screen.findByText('Give the entry a short name, e.g. plant-root')).toBeTruthy();
    expect(screen.getByText('choose the file to trust')).toBeTruthy();
    type(testIds.trust.addName, 'bad name');
    fireEvent.click(screen.getByTestId(testIds.trust.addSubmit));
    expect(await screen.findByText(/use letters, digits, dots/)).toBeTruthy();
    expect(core.callsOf('trust.add')).toEqual([]);

    type(testIds.trust.addName, 'plant-tsa');
    fireEvent.click(screen.getByTestId(testIds.trust.addTypeOption('tsa')));
    fireEvent.click(screen.getByTestId(testIds.trust.addFile));
    // The name element is there already (asking for a file): wait for the pick to land in it.
    await waitFor(() =>
      expect(screen.getByTestId(derived.fileName(testIds.trust.addFile)).textContent).toBe(
        'tsa.pem',
      ),
    );
    fireEvent.click(screen.getByTestId(testIds.trust.addSubmit));
    await waitFor(() => expect(core.callsOf('trust.add')).toHaveLength(1));
    expect(core.callsOf('trust.add')[0]?.request).toEqual({
      name: 'plant-tsa',
      type: 'tsa',
      file: 'tok-1',
    });
    act(() =>
      core.callsOf('trust.add')[0]?.answer({
        ...old,
        name: 'plant-tsa',
        warnings: ['CN=Old TSA expired on 2021-01-01'],
      }),
    );
    expect((await screen.findByTestId(testIds.trust.addedWarnings)).textContent).toContain(
      'CN=Old TSA expired on 2021-01-01',
    );
    fireEvent.click(screen.getByTestId(testIds.trust.addedDone));
    await waitFor(() => expect(screen.queryByTestId(testIds.trust.addDialog)).toBeNull());
  });
});
