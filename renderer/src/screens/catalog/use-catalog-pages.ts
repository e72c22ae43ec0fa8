import { useCallback, useEffect, useRef, useState } from 'react';
import type { CatalogQuery } from '../../../../shared/contract/catalog';
import type { CatalogEntry } from '../../../../shared/contract/catalog-entry';
import type { ContractError } from '../../../../shared/contract/contract-error';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';

export const PAGE_SIZE = 100;

/** The filters of a catalog query (paging is this hook's business). */
export type CatalogFilter = Omit<CatalogQuery, 'offset' | 'limit'>;

export interface CatalogData {
  /** The query the shown entries answer (the newest may still be on its way). */
  filter: CatalogFilter;
  /** null until the first answer. */
  total: number | null;
  pages: ReadonlyMap<number, readonly CatalogEntry[]>;
  /** Bumped on every answer: the list marks `catalog:rendered` when it has drawn it. */
  version: number;
}

function mark(name: string, filter: CatalogFilter) {
  try {
    performance.mark(name, { detail: { query: filter.search ?? '', filter } });
  } catch {
    // An old engine without mark details: the benchmark needs Chromium anyway.
  }
}

/**
 * The catalog as pages of 100 (a few screenfuls), fetched when the list shows them, so 5,000+ apps cost one
 * small request per screenful. A new filter replaces what is shown only once its answer is
 * in (no flicker while typing); answers to superseded queries are dropped.
 */
export function useCatalogPages(filter: CatalogFilter) {
  const { transport } = useApp();
  const key = JSON.stringify(filter);
  const [data, setData] = useState<CatalogData>({
    filter,
    total: null,
    pages: new Map(),
    version: 0,
  });
  const [error, setError] = useState<ContractError | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const inflight = useRef(new Set<number>());
  const shown = useRef<[number, number]>([0, 0]);
  const current = useRef(data);
  current.current = data;
  // Read by ensureRange, so that it stays the same function while the query changes: a new one
  // would redraw the whole (memo'd) list on every keystroke, before the answer is even asked.
  const currentKey = useRef(key);
  currentKey.current = key;

  const fetchPage = useCallback(
    (f: CatalogFilter, page: number) =>
      transport.call('catalog.list', { ...f, offset: page * PAGE_SIZE, limit: PAGE_SIZE }),
    [transport],
  );

  /** Loads `pages` of `f` afresh and shows them together (new query, or refresh). */
  const load = useCallback(
    (f: CatalogFilter, pages: number[]) => {
      const g = ++generation.current;
      inflight.current = new Set(pages);
      setLoading(true);
      Promise.all(pages.map((p) => fetchPage(f, p))).then(
        (answers) => {
          if (g !== generation.current) return;
          mark('catalog:data', f);
          const map = new Map<number, readonly CatalogEntry[]>();
          answers.forEach((a, i) => map.set(pages[i] as number, a.entries));
          inflight.current = new Set();
          setData((d) => ({
            filter: f,
            total: answers[0]?.total ?? 0,
            pages: map,
            version: d.version + 1,
          }));
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          if (g !== generation.current) return;
          inflight.current = new Set();
          setError(asContractError(e));
          setLoading(false);
          // The first answer failed: the list shows the error, not "loading" forever.
          setData((d) => (d.total === null ? { ...d, filter: f, total: 0 } : d));
        },
      );
    },
    [fetchPage],
  );

  useEffect(() => {
    load(JSON.parse(key) as CatalogFilter, [0]);
  }, [key, load]);

  /** The list shows items [start, end]: fetch the pages it lacks. */
  const ensureRange = useCallback(
    (start: number, end: number) => {
      shown.current = [start, end];
      const d = current.current;
      if (d.total === null || JSON.stringify(d.filter) !== currentKey.current) return;
      for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor(end / PAGE_SIZE); p++) {
        if (p * PAGE_SIZE >= d.total) break;
        if (d.pages.has(p) || inflight.current.has(p)) continue;
        inflight.current.add(p);
        const g = generation.current;
        fetchPage(d.filter, p).then(
          (a) => {
            if (g !== generation.current) return;
            inflight.current.delete(p);
            mark('catalog:data', d.filter);
            setData((old) => ({
              ...old,
              total: a.total,
              pages: new Map(old.pages).set(p, a.entries),
              version: old.version + 1,
            }));
          },
          (e: unknown) => {
            if (g !== generation.current) return;
            inflight.current.delete(p);
            setError(asContractError(e));
          },
        );
      }
    },
    [fetchPage],
  );

  /** The catalog changed: fetch again what is on screen, keep the rest to fetch on demand. */
  const refresh = useCallback(() => {
    const [start, end] = shown.current;
    const pages: number[] = [];
    for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor(end / PAGE_SIZE); p++)
      pages.push(p);
    load(JSON.parse(key) as CatalogFilter, pages.length ? pages : [0]);
  }, [key, load]);

  const entryAt = useCallback(
    (index: number): CatalogEntry | undefined =>
      data.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    [data],
  );

  return { data, error, loading, entryAt, ensureRange, refresh };
}
