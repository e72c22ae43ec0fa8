import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppView } from '../../shared/contract/catalog';
import type { CatalogEntry } from '../../shared/contract/catalog-entry';
import type { DeployPlan } from '../../shared/contract/deploy';
import type { ArtifactTrust } from '../../shared/contract/trust';
import { shortDigests } from '../../shared/trust/artifact-trust-words';
import { AppDetailPane } from '../../renderer/src/screens/catalog/AppDetailPane';
import {
  CatalogResults,
  type CatalogView,
} from '../../renderer/src/screens/catalog/CatalogResults';
import { DeployScreen } from '../../renderer/src/screens/deploy/DeployScreen';
import { ReviewStep } from '../../renderer/src/screens/deploy/ReviewStep';
import { AppProvider } from '../../renderer/src/state/app-state';
import { deployRoute, hashOf } from '../../renderer/src/state/route';
import { testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { catalogEntry } from './support/catalog-entry';
import { givenElementSize } from './support/element-size';
import { invalidComponent, signedPackage, unsignedImage } from './support/artifact-trust';
import { demoDeployForm, deviceChoice } from './support/demo-form';
import { MemoryTransport } from './support/memory-transport';

/**
 * Signature verdicts as the engineer sees them: the catalog badge, the app detail's
 * Signatures section, and the deploy review (what it will send, and a strict policy refusing
 * it), in words and never by colour alone, with no full digest in a headline.
 */
const APP = 'org-commissioner-demo-line-status';
const FULL_DIGEST = /sha256:[0-9a-f]{64}/;

function core(more: ConstructorParameters<typeof MemoryTransport>[0] = {}) {
  return new MemoryTransport({
    'app.info': () => APP_INFO,
    'jobs.list': () => [],
    'catalog.icons': () => ({ icons: [] }),
    ...more,
  });
}

const entry = (id: string, trust: CatalogEntry['trust']) => catalogEntry(id, { trust });

function renderCatalog(entries: CatalogEntry[], view: CatalogView) {
  return render(
    <AppProvider transport={core()}>
      <CatalogResults
        data={{ filter: {}, total: entries.length, pages: new Map([[0, entries]]), version: 1 }}
        view={view}
        entryAt={(i) => entries[i]}
        ensureRange={() => {}}
        selectedId={null}
        onSelect={() => {}}
        empty={null}
      />
    </AppProvider>,
  );
}

describe('the catalog badge', () => {
  givenElementSize(900);

  const entries = [
    entry('app-signed', 'verified'),
    entry('app-unsigned', 'unsigned'),
    entry('app-invalid', 'invalid'),
  ];

  for (const view of ['grid', 'list'] as const) {
    it(`says the verdict in words, with an icon (${view})`, async () => {
      renderCatalog(entries, view);
      const expected = [
        ['app-signed', 'verified', 'Signed'],
        ['app-unsigned', 'unsigned', 'Unsigned'],
        ['app-invalid', 'invalid', 'Signature invalid'],
      ];
      for (const [id, verdict, words] of expected as [string, string, string][]) {
        const badge = await screen.findByTestId(testIds.catalog.trust(id));
        expect(badge.textContent).toBe(words);
        expect(badge.getAttribute('data-verdict')).toBe(verdict);
        expect(badge.querySelector('svg')).not.toBeNull();
        // Read out with the item, too (its name is its content).
        expect(
          screen.getByRole('option', { name: new RegExp(`App ${id}\\b.*\\b${words}\\b`) }),
        ).toBe(screen.getByTestId(testIds.catalog.item(id)));
      }
    });
  }
});

function appView(signatures: ArtifactTrust[]): AppView {
  return {
    detail: {
      id: APP,
      version: '1.0.0',
      latestVersion: '1.0.0',
      versions: ['1.0.0'],
      name: 'Line Status Board',
      tagline: null,
      description: null,
      organization: 'Commissioner',
      tags: [],
      site: null,
      manifestDigest: `sha256:${'a'.repeat(64)}`,
      ref: `${APP}:1.0.0`,
      source: '/media/usb/demo-kit.tar',
      importedAt: '2026-03-02T10:00:00.000Z',
      profiles: [],
      resources: [],
      diagnostics: [],
      document: { deploymentProfiles: [] },
    },
    description: null,
    releaseNotes: null,
    license: null,
    icon: null,
    findings: [],
    compatibility: [],
    hostAccess: [],
    signatures,
  };
}

function renderDetail(view: AppView) {
  return render(
    <AppProvider transport={core({ 'catalog.show': () => view })}>
      <AppDetailPane appId={APP} version={undefined} onVersion={() => {}} onClose={() => {}} />
    </AppProvider>,
  );
}

describe('the app detail’s Signatures section', () => {
  it('shows each artifact: verdict, signer, trust entry, times, reason, policy', async () => {
    renderDetail(
      appView([signedPackage('audit'), invalidComponent('audit'), unsignedImage('audit')]),
    );
    const section = await screen.findByTestId(testIds.app.signatures);
    expect(within(section).getByRole('heading').textContent).toBe('Signatures');

    const pkg = within(section).getByTestId(testIds.app.signature(signedPackage().artifact));
    expect(pkg.getAttribute('data-verdict')).toBe('verified');
    expect(pkg.textContent).toContain('Signed');
    expect(pkg.textContent).toContain('Package org-commissioner-demo-line-status@1.0.0');
    expect(pkg.textContent).toContain('Signed byCN=Acme Release Signing,O=Acme Industrial,C=DE');
    expect(pkg.textContent).toContain('Trusted byacme-root');
    expect(pkg.textContent).toContain('Signed at');
    expect(pkg.textContent).toContain('Timestamped at');
    expect(pkg.textContent).toContain('PolicyWarn and record (policy for *)');
    expect(pkg.textContent).toContain('Notary Project signature (JWS)');

    const component = within(section).getByTestId(
      testIds.app.signature(invalidComponent().artifact),
    );
    expect(component.getAttribute('data-verdict')).toBe('invalid');
    expect(component.textContent).toContain('Signature invalid');
    expect(component.textContent).toContain('Component line-status@1.0.0');
    expect(component.textContent).toContain(`Why${invalidComponent().reason}`);
    // Who an invalid signature claims to be from is not shown as who signed it.
    expect(component.textContent).not.toContain('Signed by');
    expect(component.textContent).not.toContain('Trusted by');

    const image = within(section).getByTestId(testIds.app.signature(unsignedImage().artifact));
    expect(image.getAttribute('data-verdict')).toBe('unsigned');
    expect(image.textContent).toContain('Unsigned');
    expect(image.textContent).toContain('Whyit is not signed');
    // The digest is shortened, in the headline (a pinned image) and on the details line.
    const headline = image.querySelector('p')?.textContent ?? '';
    expect(headline).toMatch(/^Image registry\.plant\.local\/demo\/busybox@sha256:c{12}…$/);
    expect(image.textContent).not.toMatch(FULL_DIGEST);
    expect(image.textContent).toContain('sha256:cccccccccccc…');
  });

  it('names the policy that refuses', async () => {
    renderDetail(appView([unsignedImage('strict')]));
    const section = await screen.findByTestId(testIds.app.signatures);
    expect(section.textContent).toContain('PolicyRefuse unsigned or invalid (policy for *)');
  });

  it('says so when no verdict is recorded for the version', async () => {
    renderDetail(appView([]));
    const section = await screen.findByTestId(testIds.app.signatures);
    expect(section.textContent).toContain('No signature results are recorded for this version.');
  });
});

function okPlan(device: string): DeployPlan['devices'][number] {
  return {
    ok: true,
    device,
    appId: APP,
    version: '1.0.0',
    profile: 'line-status-compose',
    deploymentId: `d-${device}`,
    update: null,
    upToDate: false,
    items: [{ component: 'line-status', service: 'board', action: 'create', reasons: [] }],
    images: [],
    yaml: 'kind: ApplicationDeployment\n',
    digest: `sha256:${'d'.repeat(64)}`,
    hostAccess: [],
    hostAccessDigest: null,
    warnings: [],
  };
}

function refusedPlan(device: string, refused: ArtifactTrust[]): DeployPlan['devices'][number] {
  return {
    ok: false,
    device,
    code: 'signature',
    message: `the trust policy refuses what would be sent to ${device}, so nothing changed on it: …\n  ${refused[0]?.name ?? ''}`,
    errors: [],
    warnings: [],
  };
}

function renderReview(plan: DeployPlan) {
  return render(
    <AppProvider transport={core()}>
      <ReviewStep
        plan={plan}
        loading={false}
        error={null}
        onPlanAgain={() => {}}
        autoRollback
        onAutoRollback={() => {}}
        hostAccessAllowed={[]}
        onAllowHostAccess={() => {}}
        takeOverConfirmed={[]}
        onConfirmTakeOver={() => {}}
      />
    </AppProvider>,
  );
}

describe('the deploy review’s verdicts', () => {
  it('lists what will be sent, verified, with no alert', () => {
    renderReview({ devices: [okPlan('line-1')], signatures: [signedPackage('strict')] });
    const list = screen.getByTestId(testIds.deploy.signatures);
    expect(list.textContent).toContain('Signatures of what will be sent');
    const pkg = within(list).getByTestId(testIds.deploy.signature(signedPackage().artifact));
    expect(pkg.getAttribute('data-verdict')).toBe('verified');
    expect(pkg.textContent).toContain('Signed byCN=Acme Release Signing');
    expect(screen.queryByTestId(testIds.deploy.trustRefused)).toBeNull();
    expect(screen.queryByTestId(testIds.deploy.trustWarnings)).toBeNull();
  });

  it('warns of what an audit policy lets through unverified, and deploys it', () => {
    renderReview({
      devices: [okPlan('line-1')],
      signatures: [signedPackage('audit'), invalidComponent('audit'), unsignedImage('audit')],
    });
    const warnings = screen.getByTestId(testIds.deploy.trustWarnings);
    const items = within(warnings)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual([
      `component line-status@1.0.0: ${invalidComponent().reason}; the policy for * only warns, so it is sent anyway`,
      `image ${shortDigests(unsignedImage().name)}: it is not signed; the policy for * only warns, so it is sent anyway`,
    ]);
    expect(screen.queryByTestId(testIds.deploy.trustRefused)).toBeNull();
    expect(screen.getByTestId(testIds.deploy.plan('line-1')).getAttribute('data-state')).toBe('ok');
  });

  it('explains a strict refusal: the artifact, the check that failed, the policy scope', () => {
    const refused = [unsignedImage('strict', 'org:Commissioner'), invalidComponent('strict')];
    renderReview({
      devices: [refusedPlan('line-1', refused), refusedPlan('line-2', refused)],
      signatures: [signedPackage('strict'), ...refused],
    });
    const alert = screen.getByTestId(testIds.deploy.trustRefused);
    expect(alert.textContent).toContain('The trust policy refuses this deployment');
    expect(alert.textContent).toContain('Nothing is sent to any device');
    const items = within(alert)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual([
      `image ${shortDigests(unsignedImage().name)}: it is not signed, and the policy for org:Commissioner refuses unsigned or invalid artifacts`,
      `component line-status@1.0.0: ${invalidComponent().reason}, and the policy for * refuses unsigned or invalid artifacts`,
    ]);
    for (const device of ['line-1', 'line-2']) {
      expect(screen.getByTestId(testIds.deploy.plan(device)).getAttribute('data-state')).toBe(
        'refused',
      );
      expect(screen.getByTestId(testIds.deploy.planRefused(device)).textContent).toContain(
        '(signature)',
      );
    }
    // Digests only shortened, in the alert as on the details lines.
    expect(alert.textContent).not.toMatch(FULL_DIGEST);
    expect(screen.getByTestId(testIds.deploy.signatures).textContent).not.toMatch(FULL_DIGEST);
    // The verified package is listed too: the review shows everything it would send.
    expect(
      screen.getByTestId(testIds.deploy.signature(signedPackage().artifact)).dataset.verdict,
    ).toBe('verified');
  });
});

describe('the deploy wizard under a strict policy', () => {
  it('keeps Deploy disabled and says why', async () => {
    const refused = [unsignedImage('strict')];
    const plan: DeployPlan = {
      devices: [refusedPlan('line-1', refused)],
      signatures: [signedPackage('strict'), ...refused],
    };
    window.location.hash = hashOf(deployRoute({ app: APP, version: '1.0.0', devices: ['line-1'] }));
    const transport = core({
      'deploy.form': (r) =>
        demoDeployForm({ devices: [deviceChoice('line-1')], withForm: r.profile !== undefined }),
      'deploy.plan': () => plan,
    });
    render(
      <AppProvider transport={transport}>
        <DeployScreen />
      </AppProvider>,
    );
    for (const step of ['profile', 'configure', 'review'] as const) {
      const next = await screen.findByTestId(testIds.deploy.next);
      await waitFor(() => expect((next as HTMLButtonElement).disabled).toBe(false));
      fireEvent.click(next);
      await screen.findByTestId(testIds.deploy.step(step));
    }
    const blocked = await screen.findByTestId(testIds.deploy.trustBlocked);
    expect(blocked.textContent).toBe(
      `The trust policy refuses image ${shortDigests(unsignedImage().name)}: nothing can be deployed.`,
    );
    expect((screen.getByTestId(testIds.deploy.submit) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId(testIds.deploy.trustRefused)).toBeTruthy();
    expect(transport.callsOf('deploy.start')).toEqual([]);
  });
});
