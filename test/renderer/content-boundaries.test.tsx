import { render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppView } from '../../shared/contract/catalog';
import { AppAvatar } from '../../renderer/src/components/AppAvatar';
// MarkdownText loads it as a chunk of its own; loaded with this file, before the tests' clocks.
import '../../renderer/src/components/MarkdownRendered';
import { SupplierContent } from '../../renderer/src/components/SupplierContent';
import { AppDetailPane } from '../../renderer/src/screens/catalog/AppDetailPane';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { MemoryTransport } from './support/memory-transport';

const APP = 'com-example-hostile';

function appView(document: unknown, description: string): AppView {
  return {
    detail: {
      id: APP,
      version: '1.0.0',
      latestVersion: '1.0.0',
      versions: ['1.0.0'],
      name: 'Hostile Texts',
      tagline: 'Texts that try to take the window down',
      description: null,
      organization: 'Example Industrial',
      tags: ['demo'],
      site: null,
      manifestDigest: `sha256:${'a'.repeat(64)}`,
      ref: `${APP}:1.0.0`,
      source: '/media/usb/hostile',
      importedAt: '2026-01-05T10:00:00.000Z',
      profiles: [
        {
          id: 'compose',
          type: 'compose',
          description: 'Runs with Docker Compose.',
          components: [
            { name: 'web', repository: 'oci://r/web', revision: '1.0.0', packageLocation: null },
          ],
        },
      ],
      resources: [],
      diagnostics: [],
      document,
    },
    description: { path: 'resources/description.md', format: 'markdown', text: description },
    releaseNotes: { path: 'resources/release-notes.md', format: 'markdown', text: '- *fixed*' },
    license: null,
    icon: null,
    findings: [],
    compatibility: [],
    hostAccess: [],
    signatures: [],
  };
}

function renderPane(view: AppView) {
  const core = new MemoryTransport({
    'app.info': () => APP_INFO,
    'jobs.list': () => [],
    'catalog.show': () => view,
  });
  return render(
    <AppProvider transport={core}>
      <AppDetailPane appId={APP} version={undefined} onVersion={() => {}} onClose={() => {}} />
    </AppProvider>,
  );
}

// React reports each error a boundary caught on the console; the tests check it was one.
let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  consoleError.mockRestore();
});

function Fails(): never {
  throw new Error('drawing failed');
}

describe('supplier content', () => {
  it('that fails to draw is replaced in place by a plain sentence; its neighbours stay', () => {
    render(
      <div>
        <p>before</p>
        <SupplierContent>
          <Fails />
        </SupplierContent>
        <p>after</p>
      </div>,
    );
    expect(screen.getByTestId(testIds.packageContent.unavailable).textContent).toBe(
      'This part of the package cannot be shown.',
    );
    expect(screen.getByText('before')).toBeTruthy();
    expect(screen.getByText('after')).toBeTruthy();
  });

  it('is tried again for another package in the same place, not for the same one', () => {
    const { rerender } = render(
      <SupplierContent resetKey="com-example-a:1.0.0">
        <Fails />
      </SupplierContent>,
    );
    expect(screen.getByTestId(testIds.packageContent.unavailable)).toBeTruthy();
    rerender(
      <SupplierContent resetKey="com-example-a:1.0.0">
        <p>drawn</p>
      </SupplierContent>,
    );
    expect(screen.queryByText('drawn')).toBeNull();
    rerender(
      <SupplierContent resetKey="com-example-a:1.0.1">
        <p>drawn</p>
      </SupplierContent>,
    );
    expect(screen.getByText('drawn')).toBeTruthy();
    expect(screen.queryByTestId(testIds.packageContent.unavailable)).toBeNull();
  });

  it('an icon or name that fails to draw leaves an empty square of the same size', () => {
    // A name no transport can deliver (its text throws when read): the fault is injected.
    const name = {
      replace() {
        throw new Error('unreadable name');
      },
    } as unknown as string;
    render(<AppAvatar id="x" name={name} size={40} />);
    expect(screen.getByLabelText("The package's icon cannot be shown")).toBeTruthy();
  });

  it('in the app detail: a failing part is replaced, the rest of the pane keeps working', async () => {
    // The core sends JSON, which cannot hold a throwing getter: this fault is injected, standing
    // for any supplier data the renderer's code cannot draw.
    const document = {
      get deploymentProfiles(): unknown {
        throw new Error('unreadable profile');
      },
    };
    renderPane(appView(document, `${'>'.repeat(3000)} deep`));
    const profiles = await screen.findByTestId(testIds.app.profiles);
    expect(within(profiles).getByTestId(testIds.packageContent.unavailable)).toBeTruthy();
    expect(consoleError).toHaveBeenCalled();
    // The hostile description is plain text, and everything else is there and usable.
    const description = screen.getByTestId(testIds.app.description);
    expect(within(description).getByTestId(testIds.packageContent.plainNote)).toBeTruthy();
    expect(description.querySelector('blockquote')).toBeNull();
    expect(screen.getByTestId(testIds.app.name).textContent).toBe('Hostile Texts');
    // Formatted once the Markdown parser's chunk is in.
    await waitFor(() =>
      expect(screen.getByTestId(testIds.app.releaseNotes).querySelector('em')?.textContent).toBe(
        'fixed',
      ),
    );
    expect(screen.getByTestId(testIds.app.deploy).hasAttribute('disabled')).toBe(false);
    expect(screen.getAllByTestId(testIds.packageContent.unavailable)).toHaveLength(1);
  });

  it('in the app detail: a well-formed package shows no replacement', async () => {
    renderPane(appView({ deploymentProfiles: [{ id: 'compose' }] }, '> a *quote*'));
    await waitFor(() => expect(screen.getByTestId(testIds.app.profiles)).toBeTruthy());
    await waitFor(() =>
      expect(
        screen.getByTestId(testIds.app.description).querySelector('blockquote'),
      ).not.toBeNull(),
    );
    expect(screen.queryByTestId(testIds.packageContent.unavailable)).toBeNull();
    expect(consoleError).not.toHaveBeenCalled();
  });
});
