import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { CatalogEntry } from '../../../../shared/contract/catalog-entry';
import { AppAvatar } from '../../components/AppAvatar';
import { SupplierContent } from '../../components/SupplierContent';
import { TrustBadge } from '../../components/TrustBadge';
import { useApp } from '../../state/app-state';
import { useIcon } from '../../state/icon-cache';
import { reachWords, useReach } from './reach-words';
import { sameEntry } from './same-entry';
import type { CatalogData } from './use-catalog-pages';
import { testIds } from '../../test-ids';

export type CatalogView = 'grid' | 'list';

const LIST_ROW = 64;
const GRID_ROW = 164;
const GRID_MIN_CARD = 230;
/**
 * Rows drawn beyond the visible ones, each side: about 350 px in either view. A grid row holds
 * several cards, so six of them (as for the list) drew twice as many cards as are seen, and
 * every answer while typing paid for them.
 */
const LIST_OVERSCAN = 6;
const GRID_OVERSCAN = 2;

function Chips({ entry, max }: { entry: CatalogEntry; max: number }) {
  const tags = entry.tags.slice(0, max);
  const more = entry.tags.length - tags.length;
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', overflow: 'hidden', maxHeight: 24 }}>
      {entry.profiles.map((p) => (
        <Chip key={`p-${p}`} label={p} color="primary" variant="outlined" sx={{ height: 20 }} />
      ))}
      {tags.map((t) => (
        <Chip key={`t-${t}`} label={t} sx={{ height: 20 }} />
      ))}
      {more > 0 && <Chip label={`+${more}`} sx={{ height: 20 }} title={entry.tags.join(', ')} />}
    </Box>
  );
}

/** The version's signature verdict, when the catalog knows it. */
function EntryTrust({ entry }: { entry: CatalogEntry }) {
  if (!entry.trust) return null;
  return <TrustBadge verdict={entry.trust} small testId={testIds.catalog.trust(entry.id)} />;
}

function EntryAvatar({ entry, size }: { entry: CatalogEntry; size?: number }) {
  const { icons } = useApp();
  const icon = useIcon(icons, entry.id, entry.version);
  return <AppAvatar id={entry.id} name={entry.name} icon={icon} size={size} />;
}

/**
 * Where the app runs ("Runs on 3 of 5 devices") and, when a profile reaches into the device
 * itself, a badge saying so: what an engineer scanning the catalog decides on first.
 */
function EntryReach({ entry, short = false }: { entry: CatalogEntry; short?: boolean }) {
  const { reach: cache } = useApp();
  const reach = useReach(cache, entry.id, entry.version);
  const words = reach ? reachWords(reach) : null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, minWidth: 0, minHeight: 20 }}>
      {words && (
        <Typography
          variant="caption"
          color={reach && reach.runsOn > 0 ? 'text.primary' : 'text.secondary'}
          noWrap
          sx={{ minWidth: 0 }}
          title={words.long}
          data-testid={testIds.catalog.reach(entry.id)}
        >
          {short ? words.short : words.long}
        </Typography>
      )}
      {reach?.hostAccess === 'needed' && (
        <Chip
          label="Host access"
          size="small"
          color="warning"
          variant="outlined"
          title="A profile reaches into the device itself (privileged mode, host paths or devices): a device that denies host access cannot run it; on the others the deploy review asks first"
          data-testid={testIds.catalog.hostAccess(entry.id)}
          sx={{ height: 20, flexShrink: 0 }}
        />
      )}
    </Box>
  );
}

function ListRow({ entry }: { entry: CatalogEntry }) {
  return (
    <>
      <EntryAvatar entry={entry} />
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <Typography variant="body2" noWrap>
          <Box component="span" sx={{ fontWeight: 600 }}>
            {entry.name}
          </Box>{' '}
          <Box component="span" sx={{ color: 'text.secondary' }}>
            {entry.version} · {entry.organization}
          </Box>
        </Typography>
        <Typography variant="body2" color="text.secondary" noWrap>
          {entry.tagline ?? entry.id}
        </Typography>
      </Box>
      <Box sx={{ flexShrink: 0, display: { xs: 'none', md: 'block' } }}>
        <EntryReach entry={entry} short />
      </Box>
      <Box sx={{ maxWidth: '40%', display: { xs: 'none', sm: 'block' } }}>
        <Chips entry={entry} max={2} />
      </Box>
      <EntryTrust entry={entry} />
    </>
  );
}

function GridCard({ entry }: { entry: CatalogEntry }) {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.75, height: '100%', minWidth: 0 }}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', minWidth: 0 }}>
        <EntryAvatar entry={entry} size={40} />
        <Box sx={{ minWidth: 0, flex: 1 }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }} noWrap>
            {entry.name}
          </Typography>
          <Typography variant="caption" color="text.secondary" noWrap component="div">
            {entry.version} · {entry.organization}
          </Typography>
        </Box>
        <EntryTrust entry={entry} />
      </Box>
      <Typography
        variant="body2"
        color="text.secondary"
        sx={{
          display: '-webkit-box',
          WebkitLineClamp: 2,
          WebkitBoxOrient: 'vertical',
          overflow: 'hidden',
          flex: 1,
        }}
      >
        {entry.tagline ?? ''}
      </Typography>
      <EntryReach entry={entry} />
      <Chips entry={entry} max={3} />
    </Box>
  );
}

interface CatalogItemProps {
  index: number;
  entry: CatalogEntry | undefined;
  view: CatalogView;
  selected: boolean;
  /** The one item Tab reaches (roving focus). */
  tabbable: boolean;
  onSelect: (entry: CatalogEntry) => void;
  onFocusItem: (index: number) => void;
}

/**
 * One item of the list. Each answer brings new entry objects, often for the same apps at the
 * same places (the next letter of a word seldom changes the first screenful): comparing what
 * is shown, not the objects, leaves those items as they are instead of drawing them again.
 */
const CatalogItem = memo(function CatalogItem({
  index,
  entry,
  view,
  selected,
  tabbable,
  onSelect,
  onFocusItem,
}: CatalogItemProps) {
  const common = {
    role: 'option',
    tabIndex: tabbable ? 0 : -1,
    'data-item-index': index,
    'aria-selected': selected,
    onFocus: () => onFocusItem(index),
  };
  if (!entry) {
    return (
      <Box {...common} aria-busy sx={{ flex: 1, p: 1, minWidth: 0 }}>
        <Skeleton variant="text" />
        <Skeleton variant="text" width="60%" />
      </Box>
    );
  }
  return (
    <Box
      {...common}
      data-testid={testIds.catalog.item(entry.id)}
      onClick={() => onSelect(entry)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(entry);
        }
      }}
      sx={{
        cursor: 'pointer',
        minWidth: 0,
        outline: 'none',
        borderRadius: 1,
        '&:hover': { bgcolor: selected ? 'action.selected' : 'action.hover' },
        '&:focus-visible': { boxShadow: (t) => `inset 0 0 0 2px ${t.palette.primary.main}` },
        ...(view === 'grid'
          ? {
              flex: 1,
              p: 1.25,
              border: 1,
              borderColor: selected ? 'primary.main' : 'divider',
              bgcolor: selected ? 'action.selected' : 'background.paper',
            }
          : {
              display: 'flex',
              alignItems: 'center',
              gap: 1.5,
              px: 1.5,
              flex: 1,
              bgcolor: selected ? 'action.selected' : undefined,
            }),
      }}
    >
      <SupplierContent resetKey={`${entry.id}@${entry.version}`}>
        {view === 'grid' ? <GridCard entry={entry} /> : <ListRow entry={entry} />}
      </SupplierContent>
    </Box>
  );
}, sameItem);

function sameItem(a: CatalogItemProps, b: CatalogItemProps): boolean {
  return (
    a.index === b.index &&
    a.view === b.view &&
    a.selected === b.selected &&
    a.tabbable === b.tabbable &&
    a.onSelect === b.onSelect &&
    a.onFocusItem === b.onFocusItem &&
    sameEntry(a.entry, b.entry)
  );
}

/**
 * The catalog, virtualized: only the rows on screen exist, whatever the total. Arrow keys move
 * between items (roving focus), Enter or Space opens one; the list keeps its place while a
 * detail is open.
 */
/** The virtualized list or grid; memo'd, so only new data, view or selection redraw it. */
export const CatalogResults = memo(function CatalogResults({
  data,
  view,
  entryAt,
  ensureRange,
  selectedId,
  onSelect,
  empty,
}: {
  data: CatalogData;
  view: CatalogView;
  entryAt: (index: number) => CatalogEntry | undefined;
  ensureRange: (start: number, end: number) => void;
  selectedId: string | null;
  onSelect: (entry: CatalogEntry) => void;
  empty: ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [active, setActive] = useState(0);
  const total = data.total ?? 0;
  const cols = view === 'grid' ? Math.max(1, Math.floor((width - 16) / GRID_MIN_CARD)) : 1;
  const rows = Math.ceil(total / cols);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => (view === 'grid' ? GRID_ROW : LIST_ROW),
    overscan: view === 'grid' ? GRID_OVERSCAN : LIST_OVERSCAN,
  });

  useEffect(() => {
    virtualizer.measure();
  }, [view, cols, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (total > 0) ensureRange(first * cols, Math.min(total - 1, (last + 1) * cols - 1));
  }, [first, last, cols, total, ensureRange, data.version]);

  // A new query starts at the top.
  const filterKey = JSON.stringify(data.filter);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setActive(0);
  }, [filterKey]);

  useLayoutEffect(() => {
    if (data.total === null) return;
    try {
      performance.mark('catalog:rendered', {
        detail: { query: data.filter.search ?? '', total: data.total },
      });
    } catch {
      // See use-catalog-pages.
    }
  }, [data.version, data.total, data.filter]);

  const focusItem = (index: number) => {
    const i = Math.max(0, Math.min(total - 1, index));
    setActive(i);
    virtualizer.scrollToIndex(Math.floor(i / cols), { align: 'auto' });
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-item-index="${i}"]`)?.focus(),
    );
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page =
      Math.max(
        1,
        Math.floor(
          (scrollRef.current?.clientHeight ?? 400) / (view === 'grid' ? GRID_ROW : LIST_ROW),
        ),
      ) * cols;
    const moves: Record<string, number> = {
      ArrowDown: cols,
      ArrowUp: -cols,
      ...(view === 'grid' ? { ArrowRight: 1, ArrowLeft: -1 } : {}),
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity,
    };
    const move = moves[e.key];
    if (move === undefined) return;
    e.preventDefault();
    focusItem(move === -Infinity ? 0 : move === Infinity ? total - 1 : active + move);
  };

  const renderItem = (index: number) => {
    const entry = entryAt(index);
    return (
      <CatalogItem
        key={index}
        index={index}
        entry={entry}
        view={view}
        selected={entry !== undefined && entry.id === selectedId}
        tabbable={index === active}
        onSelect={onSelect}
        onFocusItem={setActive}
      />
    );
  };

  return (
    <Box
      ref={scrollRef}
      // The empty state (its words and buttons) is no option: a listbox only around items.
      role={data.total === 0 ? undefined : 'listbox'}
      aria-label={data.total === 0 ? undefined : 'Applications'}
      data-testid={testIds.catalog.results}
      data-total={data.total ?? ''}
      data-view={view}
      onKeyDown={onKeyDown}
      sx={{ flex: 1, overflowY: 'auto', minHeight: 0, position: 'relative' }}
    >
      {data.total === 0 ? (
        empty
      ) : (
        <Box sx={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((row) => (
            <Box
              key={row.key}
              sx={{
                position: 'absolute',
                top: 0,
                left: 0,
                width: '100%',
                height: row.size,
                transform: `translateY(${row.start}px)`,
                display: 'flex',
                gap: 1,
                px: view === 'grid' ? 1 : 0,
                py: view === 'grid' ? 0.5 : 0,
                borderBottom: view === 'list' ? 1 : 0,
                borderColor: 'divider',
              }}
            >
              {Array.from({ length: cols }, (_, c) => {
                const index = row.index * cols + c;
                return index < total ? (
                  renderItem(index)
                ) : (
                  <Box key={`pad-${c}`} sx={{ flex: 1 }} />
                );
              })}
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
});
