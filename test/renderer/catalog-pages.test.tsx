import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../shared/contract/catalog-entry';
import { CatalogResults } from '../../renderer/src/screens/catalog/CatalogResults';
import { sameEntry } from '../../renderer/src/screens/catalog/same-entry';
import {
  PAGE_SIZE,
  useCatalogPages,
  type CatalogData,
} from '../../renderer/src/screens/catalog/use-catalog-pages';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { catalogEntry } from './support/catalog-entry';
import { givenElementSize } from './support/element-size';
import { MemoryTransport } from './support/memory-transport';
import { memoryCore, renderWithApp } from './support/render-with-app';

/**
 * The catalog list while typing: each answer redraws only the items that changed, yet never
 * leaves an old name or verdict on screen; the list is not drawn again before the answer.
 */
describe('sameEntry', () => {
  it('is equal content, field by field and list item by item', () => {
    const a = catalogEntry('a', { tags: ['press', 'line'] });
    expect(sameEntry(a, { ...a, tags: ['press', 'line'] })).toBe(true);
    expect(sameEntry(a, { ...a, trust: 'verified' })).toBe(false);
    expect(sameEntry(a, { ...a, tags: ['line', 'press'] })).toBe(false);
    expect(sameEntry(a, { ...a, tags: ['press'] })).toBe(false);
    expect(sameEntry(a, { ...a, version: '1.0.1' })).toBe(false);
    expect(sameEntry(a, undefined)).toBe(false);
    expect(sameEntry(undefined, undefined)).toBe(true);
    // A field it does not know how to compare counts as changed.
    const withObject = () => ({ ...a, extra: { x: 1 } }) as unknown as CatalogEntry;
    expect(sameEntry(withObject(), withObject())).toBe(false);
  });
});

describe('the catalog list', () => {
  givenElementSize(900);

  const transport = new MemoryTransport({
    'app.info': () => APP_INFO,
    'jobs.list': () => [],
    'catalog.icons': () => ({ icons: [] }),
  });
  const list = (entries: CatalogEntry[], version: number, selectedId: string | null = null) => {
    const data: CatalogData = {
      filter: {},
      total: entries.length,
      pages: new Map([[0, entries]]),
      version,
    };
    return (
      <AppProvider transport={transport}>
        <CatalogResults
          data={data}
          view="list"
          entryAt={(i) => entries[i]}
          ensureRange={noop}
          selectedId={selectedId}
          onSelect={noop}
          empty={null}
        />
      </AppProvider>
    );
  };

  it('a new answer shows what changed at each place: a verdict, another app; the rest stays', async () => {
    const { rerender } = render(list([catalogEntry('a'), catalogEntry('b'), catalogEntry('c')], 1));
    await screen.findByTestId(testIds.catalog.item('c'));
    // New objects for every entry, as each answer brings.
    rerender(
      list([catalogEntry('a'), catalogEntry('b', { trust: 'verified' }), catalogEntry('d')], 2),
    );
    await screen.findByTestId(testIds.catalog.item('d'));
    expect(screen.queryByTestId(testIds.catalog.item('c'))).toBeNull();
    const badge = screen.getByTestId(testIds.catalog.trust('b'));
    expect(badge.getAttribute('data-verdict')).toBe('verified');
    // The item's name is its content: the new verdict is read out with it.
    expect(screen.getByRole('option', { name: /App b.*\bSigned\b/ })).toBe(
      screen.getByTestId(testIds.catalog.item('b')),
    );
    expect(screen.getByTestId(testIds.catalog.item('a')).textContent).toContain('App a');
    // Selecting an unchanged entry is shown too.
    rerender(
      list(
        [catalogEntry('a'), catalogEntry('b', { trust: 'verified' }), catalogEntry('d')],
        2,
        'a',
      ),
    );
    expect(screen.getByTestId(testIds.catalog.item('a')).getAttribute('aria-selected')).toBe(
      'true',
    );
  });
});

describe('useCatalogPages', () => {
  const page = (ids: string[], total: number) => ({
    total,
    entries: ids.map((id) => catalogEntry(id)),
  });

  it('keeps one ensureRange while the query changes, and it fetches the pages of the newest', async () => {
    const core = memoryCore();
    const { result, rerender } = renderWithApp(
      ({ search }: { search: string }) => useCatalogPages(search ? { search } : {}),
      core,
      { search: '' },
    );
    await waitFor(() => expect(core.callsOf('catalog.list')).toHaveLength(1));
    act(() => core.callsOf('catalog.list')[0]?.answer(page(['a'], 500)));
    await waitFor(() => expect(result.current.data.total).toBe(500));
    const first = result.current.ensureRange;

    rerender({ search: 'press' });
    expect(result.current.ensureRange).toBe(first);
    await waitFor(() => expect(core.callsOf('catalog.list')).toHaveLength(2));
    // Before the answer, the shown pages are the old query's: nothing is fetched for them.
    act(() => result.current.ensureRange(PAGE_SIZE, 2 * PAGE_SIZE));
    expect(core.callsOf('catalog.list')).toHaveLength(2);
    act(() => core.callsOf('catalog.list')[1]?.answer(page(['p'], 300)));
    await waitFor(() => expect(result.current.data.filter).toEqual({ search: 'press' }));
    expect(result.current.ensureRange).toBe(first);
    act(() => result.current.ensureRange(PAGE_SIZE, 2 * PAGE_SIZE));
    expect(
      core
        .callsOf('catalog.list')
        .slice(2)
        .map((c) => c.request),
    ).toEqual([
      { search: 'press', offset: PAGE_SIZE, limit: PAGE_SIZE },
      { search: 'press', offset: 2 * PAGE_SIZE, limit: PAGE_SIZE },
    ]);
  });
});

function noop() {}
