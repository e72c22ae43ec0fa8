import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { CatalogEntry } from '../../../../shared/contract/catalog-entry';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MasterDetail } from '../../components/MasterDetail';
import { plural } from '../../format';
import { useApp, useStoreChanged } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { asContractError } from '../../transport/contract-check';
import { AppDetailPane } from './AppDetailPane';
import { CatalogFilters, type FilterChoice } from './CatalogFilters';
import { CatalogResults, type CatalogView } from './CatalogResults';
import { useCatalogPages, type CatalogFilter } from './use-catalog-pages';
import { testIds } from '../../test-ids';

const VIEW_KEY = 'commissioner.catalogView';
interface FilterState extends FilterChoice {
  text: string;
}

/** The filters survive a visit to another screen (this window only). */
let remembered: FilterState = { text: '', tags: [], organization: '', type: '', runsOn: '' };

function storedView(): CatalogView {
  try {
    return localStorage.getItem(VIEW_KEY) === 'list' ? 'list' : 'grid';
  } catch {
    return 'grid';
  }
}

export function CatalogScreen() {
  const { route, navigate, info, startImport, reportScreenLoaded, may } = useApp();
  const [state, setState] = useState<FilterState>(remembered);
  const [view, setView] = useState<CatalogView>(storedView);
  const [demoError, setDemoError] = useState<ContractError | null>(null);
  const [demoStarted, setDemoStarted] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    remembered = state;
  }, [state]);

  // Every keystroke queries at once (no debounce): a search answers in a few milliseconds,
  // and answers overtaken by a newer query are dropped by useCatalogPages.
  const search = state.text.trim();

  const filter = useMemo<CatalogFilter>(
    () => ({
      ...(search ? { search } : {}),
      ...(state.tags.length ? { tags: state.tags } : {}),
      ...(state.organization ? { organization: state.organization } : {}),
      ...(state.type ? { type: state.type } : {}),
      ...(state.runsOn ? { runsOn: state.runsOn } : {}),
    }),
    [search, state.tags, state.organization, state.type, state.runsOn],
  );
  const filtered = Object.keys(filter).length > 0;
  const pages = useCatalogPages(filter);

  // Beside the list: the filters' choices, kept current with the catalog and the devices.
  const facetsQuery = useQuery('catalog.facets', {}, { refreshOn: ['catalog'] });
  const devicesQuery = useQuery('devices.list', {}, { refreshOn: ['devices'] });
  const facets = facetsQuery.data;
  const devices = useMemo(() => (devicesQuery.data ?? []).map((d) => d.name), [devicesQuery.data]);
  const sideError = facetsQuery.error ?? devicesQuery.error;
  const clearSideError = () => {
    facetsQuery.clearError();
    devicesQuery.clearError();
  };

  const { refresh } = pages;
  useStoreChanged(['catalog', 'trust'], refresh);
  useStoreChanged(['devices'], () => {
    if (state.runsOn) refresh();
  });

  useEffect(() => {
    if (pages.data.total !== null) reportScreenLoaded();
  }, [pages.data.total, reportScreenLoaded]);

  // "/" or Ctrl+F jumps to the search field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable]');
      if ((e.key === '/' && !typing) || ((e.ctrlKey || e.metaKey) && e.key === 'f')) {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const selectedId = route.params.app ?? null;
  const selectedVersion = route.params.version;
  const select = (id: string | null, version?: string) =>
    navigate(
      {
        screen: 'catalog',
        params: id ? { app: id, ...(version ? { version } : {}) } : {},
      },
      true,
    );
  // Stable, so typing in the search box does not redraw the list (CatalogResults is memo'd).
  const onSelect = useCallback(
    (entry: CatalogEntry) => navigate({ screen: 'catalog', params: { app: entry.id } }, true),
    [navigate],
  );

  // Stable, so the memo'd filters are not drawn again on every keystroke.
  const set = useCallback(
    (patch: Partial<FilterState>) => setState((s) => ({ ...s, ...patch })),
    [],
  );
  const changeView = useCallback((v: CatalogView) => {
    setView(v);
    try {
      localStorage.setItem(VIEW_KEY, v);
    } catch {
      // Not remembered.
    }
  }, []);
  const clear = () => {
    setState({ text: '', tags: [], organization: '', type: '', runsOn: '' });
  };

  const mayImport = may('imports.start');
  const offerDemo = mayImport && info?.demoKit.available === true && !info.demoKit.imported;
  const importDemo = () => {
    setDemoError(null);
    startImport([{ kind: 'demo' }]).then(
      () => setDemoStarted(true),
      (e: unknown) => setDemoError(asContractError(e)),
    );
  };

  const empty = filtered ? (
    <EmptyState
      testId={testIds.catalog.emptyFiltered}
      title="No application matches"
      actions={
        <Button variant="outlined" onClick={clear} data-testid={testIds.catalog.clearFilters}>
          Clear search and filters
        </Button>
      }
    >
      Nothing in the catalog matches {search ? `“${search}”` : 'these filters'}
      {state.runsOn ? ` on ${state.runsOn}` : ''}. Try fewer words or filters.
    </EmptyState>
  ) : (
    <EmptyState
      testId={testIds.catalog.empty}
      title="The catalog is empty"
      actions={
        <>
          {offerDemo && (
            <Button
              variant="contained"
              onClick={importDemo}
              disabled={demoStarted}
              data-testid={testIds.catalog.importDemo}
            >
              {demoStarted ? 'Importing the demo kit…' : 'Import the demo kit'}
            </Button>
          )}
          {mayImport && (
            <Button
              variant={offerDemo ? 'outlined' : 'contained'}
              onClick={() => navigate({ screen: 'import', params: {} })}
              data-testid={testIds.catalog.goImport}
            >
              Import packages…
            </Button>
          )}
        </>
      }
    >
      Import the suppliers’ Margo packages from a USB stick (a kit file or a folder) or from the
      plant’s registry; their apps then show here.
      {offerDemo && ' Or try the demo kit that ships with Commissioner.'}
      {demoError && <ErrorAlert error={demoError} testId={testIds.catalog.importDemoError} />}
    </EmptyState>
  );

  return (
    <Box
      data-testid={testIds.catalog.screen}
      sx={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}
    >
      <Box
        role="search"
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 1,
          alignItems: 'center',
          px: 1.5,
          py: 1,
          borderBottom: 1,
          borderColor: 'divider',
        }}
      >
        <TextField
          inputRef={searchRef}
          placeholder="Search apps"
          value={state.text}
          onChange={(e) => set({ text: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') set({ text: '' });
            // Down from the search box goes into the results, at the item Tab would reach.
            if (e.key === 'ArrowDown') {
              const results = document.querySelector<HTMLElement>(
                `[data-testid="${testIds.catalog.results}"]`,
              );
              const item =
                results?.querySelector<HTMLElement>('[role="option"][tabindex="0"]') ??
                results?.querySelector<HTMLElement>('[role="option"]');
              if (item) {
                e.preventDefault();
                item.focus();
              }
            }
          }}
          sx={{ flex: '1 1 240px', minWidth: 200 }}
          slotProps={{
            htmlInput: {
              'data-testid': testIds.catalog.search,
              // The name is what the box shows; what it searches is its description.
              'aria-label': 'Search apps',
              title: 'Searches names, taglines, tags and organizations',
              maxLength: 200,
              type: 'search',
            },
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            },
          }}
        />
        <CatalogFilters
          tags={state.tags}
          organization={state.organization}
          type={state.type}
          runsOn={state.runsOn}
          facets={facets}
          devices={devices}
          view={view}
          onChange={set}
          onView={changeView}
        />
        <Typography
          variant="body2"
          color="text.secondary"
          data-testid={testIds.catalog.count}
          aria-live="polite"
          sx={{ minWidth: 80 }}
        >
          {pages.data.total === null ? 'Loading…' : plural(pages.data.total, 'app')}
        </Typography>
        {filtered && (
          <Button onClick={clear} data-testid={testIds.catalog.clear}>
            Clear
          </Button>
        )}
      </Box>
      <Box sx={{ height: 2, flexShrink: 0 }}>
        {pages.loading && <LinearProgress sx={{ height: 2 }} />}
      </Box>
      {(pages.error || sideError) && (
        <Box sx={{ px: 1.5 }}>
          {pages.error && <ErrorAlert error={pages.error} testId={testIds.catalog.error} />}
          {sideError && (
            <ErrorAlert
              error={sideError}
              testId={testIds.catalog.filtersError}
              onClose={clearSideError}
            />
          )}
        </Box>
      )}
      <MasterDetail
        narrowBelow={1000}
        detailWidth="clamp(420px, 46%, 720px)"
        list={
          <CatalogResults
            data={pages.data}
            view={view}
            entryAt={pages.entryAt}
            ensureRange={pages.ensureRange}
            selectedId={selectedId}
            onSelect={onSelect}
            empty={pages.data.total === 0 ? empty : null}
          />
        }
        detail={
          selectedId !== null ? (
            <AppDetailPane
              key={selectedId}
              appId={selectedId}
              version={selectedVersion}
              onVersion={(v) => select(selectedId, v)}
              onClose={() => {
                select(null);
                requestAnimationFrame(() =>
                  document
                    .querySelector<HTMLElement>(
                      `[data-testid="${CSS.escape(testIds.catalog.item(selectedId))}"]`,
                    )
                    ?.focus(),
                );
              }}
            />
          ) : null
        }
      />
    </Box>
  );
}
