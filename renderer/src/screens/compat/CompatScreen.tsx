import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Popover from '@mui/material/Popover';
import Popper from '@mui/material/Popper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Matrix, MatrixCell } from '../../../../shared/contract/compatibility';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { VERDICT_TEXT, checkLine, notPassed } from '../../components/verdict';
import { plural } from '../../format';
import { useApp } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { testIds } from '../../test-ids';

const ROW = 34;
/** Up to this many apps every row is in the page (findable, printable); beyond, rows are virtual. */
const ALL_ROWS_UP_TO = 100;

type App = Matrix['apps'][number];

function CellWhy({
  app,
  device,
  cell,
}: {
  app: App;
  device: string;
  cell: MatrixCell | undefined;
}) {
  if (!cell)
    return (
      <Typography variant="body2">
        No verdict for {app.name} on {device}.
      </Typography>
    );
  return (
    <Box sx={{ maxWidth: 420 }}>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {app.name} {app.version} on {device}: {VERDICT_TEXT[cell.verdict].word}
      </Typography>
      {cell.profiles.map((p) => {
        const why = notPassed(p.checks);
        return (
          <Box key={p.profile} sx={{ mt: 0.5 }}>
            <Typography variant="caption" sx={{ fontWeight: 600 }}>
              profile {p.profile}: {VERDICT_TEXT[p.verdict].word}
            </Typography>
            {why.length > 0 ? (
              <Box component="ul" sx={{ m: 0, pl: 2, fontSize: 12 }}>
                {why.map((c, i) => (
                  <li key={i}>
                    <strong>{c.status === 'failed' ? 'failed' : 'unknown'}</strong> {checkLine(c)}
                  </li>
                ))}
              </Box>
            ) : (
              <Typography variant="caption" component="div">
                every check passed
              </Typography>
            )}
          </Box>
        );
      })}
    </Box>
  );
}

export function CompatScreen() {
  const { navigate, reportScreenLoaded, may } = useApp();
  const {
    data: matrix,
    error,
    loading,
  } = useQuery('compat.matrix', {}, { refreshOn: ['catalog', 'devices'] });
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState<[number, number]>([0, 0]);
  const [pinned, setPinned] = useState<{ el: HTMLElement; app: App; device: string } | null>(null);
  const [hint, setHint] = useState<{
    el: HTMLElement;
    app: App;
    device: string;
    key: string;
  } | null>(null);
  const hintTimer = useRef<number | undefined>(undefined);
  const scrollRef = useRef<HTMLDivElement>(null);

  /** One tooltip for the whole matrix (hover after a moment, keyboard focus at once). */
  const showHint = (el: HTMLElement, app: App, device: string, key: string, delay: number) => {
    window.clearTimeout(hintTimer.current);
    if (delay === 0) setHint({ el, app, device, key });
    else hintTimer.current = window.setTimeout(() => setHint({ el, app, device, key }), delay);
  };
  const hideHint = () => {
    window.clearTimeout(hintTimer.current);
    setHint(null);
  };
  useEffect(() => () => window.clearTimeout(hintTimer.current), []);

  useEffect(() => {
    if (!loading) reportScreenLoaded();
  }, [loading, reportScreenLoaded]);

  const cells = useMemo(() => {
    const map = new Map<string, MatrixCell>();
    for (const c of matrix?.cells ?? []) map.set(`${c.appId}\u0000${c.device}`, c);
    return map;
  }, [matrix]);

  const apps = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const all = matrix?.apps ?? [];
    if (!words.length) return all;
    return all.filter((a) => {
      const hay = `${a.name} ${a.id}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }, [matrix, filter]);
  const devices = matrix?.devices ?? [];
  // The roving tab stop stays inside the matrix when a filter shortens it.
  const act: [number, number] = [
    Math.max(0, Math.min(active[0], apps.length - 1)),
    Math.max(0, Math.min(active[1], devices.length - 1)),
  ];

  const virtualizer = useVirtualizer({
    count: apps.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: apps.length <= ALL_ROWS_UP_TO ? ALL_ROWS_UP_TO : 12,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);

  const focusCell = (r: number, c: number) => {
    const row = Math.max(0, Math.min(apps.length - 1, r));
    const col = Math.max(0, Math.min(devices.length - 1, c));
    setActive([row, col]);
    virtualizer.scrollToIndex(row, { align: 'auto' });
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-cell="${row}:${col}"]`)?.focus(),
    );
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const [r, c] = act;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW) - 1);
    const moves: Record<string, [number, number]> = {
      ArrowDown: [r + 1, c],
      ArrowUp: [r - 1, c],
      ArrowRight: [r, c + 1],
      ArrowLeft: [r, c - 1],
      PageDown: [r + page, c],
      PageUp: [r - page, c],
      Home: e.ctrlKey ? [0, 0] : [r, 0],
      End: e.ctrlKey ? [apps.length - 1, devices.length - 1] : [r, devices.length - 1],
    };
    const to = moves[e.key];
    if (!to || !(e.target as HTMLElement).dataset.cell) return;
    e.preventDefault();
    focusCell(to[0], to[1]);
  };

  const empty =
    matrix && matrix.devices.length === 0 ? (
      <EmptyState
        testId={testIds.compat.emptyDevices}
        title="No devices to compare with"
        actions={
          may('devices.add') && (
            <Button variant="contained" onClick={() => navigate({ screen: 'devices', params: {} })}>
              Add a device
            </Button>
          )
        }
      >
        The matrix shows which app runs on which device. Add the line’s devices and probe them.
      </EmptyState>
    ) : matrix && matrix.apps.length === 0 ? (
      <EmptyState
        testId={testIds.compat.emptyApps}
        title="No apps in the catalog"
        actions={
          may('imports.start') && (
            <Button variant="contained" onClick={() => navigate({ screen: 'import', params: {} })}>
              Import packages
            </Button>
          )
        }
      >
        Import application packages; the matrix then shows where each one runs.
      </EmptyState>
    ) : null;

  const sticky = { position: 'sticky', bgcolor: 'background.paper', zIndex: 2 } as const;

  return (
    <Box
      data-testid={testIds.compat.screen}
      sx={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}
    >
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1.5,
          px: 1.5,
          py: 1,
          borderBottom: 1,
          borderColor: 'divider',
          flexWrap: 'wrap',
        }}
      >
        <Typography variant="h5" component="h1">
          Compatibility
        </Typography>
        <TextField
          placeholder="Filter apps"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          sx={{ flex: '0 1 280px' }}
          slotProps={{
            htmlInput: {
              'data-testid': testIds.compat.filter,
              'aria-label': 'Filter apps',
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
        <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
          {matrix ? `${plural(apps.length, 'app')} × ${plural(devices.length, 'device')}` : ''}
        </Typography>
        <Typography variant="body2" aria-label="Legend">
          <Box component="span" sx={{ color: 'success.main' }}>
            ✓ runs
          </Box>{' '}
          ·{' '}
          <Box component="span" sx={{ color: 'error.main' }}>
            ✗ no
          </Box>{' '}
          ·{' '}
          <Box component="span" sx={{ color: 'warning.main' }}>
            ? unknown
          </Box>
        </Typography>
      </Box>
      <Box sx={{ height: 2, flexShrink: 0 }}>
        {loading && <LinearProgress sx={{ height: 2 }} />}
      </Box>
      {error && (
        <Box sx={{ px: 1.5 }}>
          <ErrorAlert error={error} testId={testIds.compat.error} />
        </Box>
      )}
      {empty ?? (
        <Box ref={scrollRef} onKeyDown={onKeyDown} sx={{ flex: 1, overflow: 'auto', minHeight: 0 }}>
          {matrix && (
            <Box
              component="table"
              role="grid"
              aria-label="Apps by devices"
              aria-rowcount={apps.length + 1}
              data-testid={testIds.compat.matrix}
              sx={{ borderCollapse: 'separate', borderSpacing: 0, fontSize: 13, minWidth: '100%' }}
            >
              <thead>
                <tr>
                  <Box
                    component="th"
                    scope="col"
                    sx={{
                      ...sticky,
                      top: 0,
                      left: 0,
                      zIndex: 3,
                      textAlign: 'left',
                      px: 1.5,
                      py: 0.75,
                      borderBottom: 1,
                      borderRight: 1,
                      borderColor: 'divider',
                      minWidth: 220,
                    }}
                  >
                    App
                  </Box>
                  {devices.map((d) => (
                    <Box
                      component="th"
                      scope="col"
                      key={d}
                      data-testid={testIds.compat.device(d)}
                      sx={{
                        ...sticky,
                        top: 0,
                        px: 1,
                        py: 0.75,
                        borderBottom: 1,
                        borderColor: 'divider',
                        whiteSpace: 'nowrap',
                        fontWeight: 600,
                      }}
                    >
                      {d}
                    </Box>
                  ))}
                </tr>
              </thead>
              <tbody>
                {padTop > 0 && (
                  <tr aria-hidden>
                    <td style={{ height: padTop, padding: 0 }} colSpan={devices.length + 1} />
                  </tr>
                )}
                {items.map((item) => {
                  const app = apps[item.index] as App;
                  return (
                    <tr
                      key={app.id}
                      data-testid={testIds.compat.row(app.id)}
                      aria-rowindex={item.index + 2}
                      style={{ height: ROW }}
                    >
                      <Box
                        component="th"
                        scope="row"
                        sx={{
                          ...sticky,
                          left: 0,
                          zIndex: 1,
                          textAlign: 'left',
                          fontWeight: 400,
                          px: 1.5,
                          borderRight: 1,
                          borderBottom: 1,
                          borderColor: 'divider',
                          whiteSpace: 'nowrap',
                          maxWidth: 320,
                          overflow: 'hidden',
                          textOverflow: 'ellipsis',
                        }}
                        title={`${app.name} ${app.version} (${app.id})`}
                      >
                        <Box
                          component="button"
                          onClick={() => navigate({ screen: 'catalog', params: { app: app.id } })}
                          sx={{
                            all: 'unset',
                            cursor: 'pointer',
                            '&:hover, &:focus-visible': { textDecoration: 'underline' },
                          }}
                        >
                          {app.name}
                        </Box>{' '}
                        <Box component="span" sx={{ color: 'text.secondary', fontSize: 12 }}>
                          {app.version}
                        </Box>
                      </Box>
                      {devices.map((d, col) => {
                        const cell = cells.get(`${app.id}\u0000${d}`);
                        const v = cell ? VERDICT_TEXT[cell.verdict] : null;
                        const isActive = act[0] === item.index && act[1] === col;
                        return (
                          <Box
                            component="td"
                            key={d}
                            sx={{
                              borderBottom: 1,
                              borderColor: 'divider',
                              p: 0,
                              textAlign: 'center',
                            }}
                          >
                            <Box
                              component="span"
                              role="button"
                              tabIndex={isActive ? 0 : -1}
                              data-cell={`${item.index}:${col}`}
                              data-testid={testIds.compat.cell(app.id, d)}
                              data-verdict={cell?.verdict ?? 'none'}
                              // What it shows first, then what it means (the name includes the visible words).
                              aria-label={`${v?.short ?? 'no verdict'}: ${app.name} on ${d}`}
                              aria-describedby={
                                hint?.key === `${item.index}:${col}` ? 'compat-hint' : undefined
                              }
                              onFocus={(e) => {
                                setActive([item.index, col]);
                                showHint(e.currentTarget, app, d, `${item.index}:${col}`, 0);
                              }}
                              onBlur={hideHint}
                              onMouseEnter={(e) =>
                                showHint(e.currentTarget, app, d, `${item.index}:${col}`, 250)
                              }
                              onMouseLeave={hideHint}
                              onClick={(e) => {
                                hideHint();
                                setPinned({ el: e.currentTarget, app, device: d });
                              }}
                              onKeyDown={(e) => {
                                if (e.key === 'Enter' || e.key === ' ') {
                                  e.preventDefault();
                                  setPinned({ el: e.currentTarget, app, device: d });
                                }
                              }}
                              sx={{
                                display: 'block',
                                px: 1,
                                lineHeight: `${ROW - 1}px`,
                                whiteSpace: 'nowrap',
                                cursor: 'pointer',
                                fontWeight: 600,
                                color: v ? `${v.color}.main` : 'text.disabled',
                                bgcolor: (t) =>
                                  v ? `${t.palette[v.color].main}1f` : 'transparent',
                                outline: 'none',
                                '&:focus-visible': {
                                  boxShadow: (t) => `inset 0 0 0 2px ${t.palette.primary.main}`,
                                },
                                '&:hover': { filter: 'brightness(0.95)' },
                              }}
                            >
                              {v?.short ?? '—'}
                            </Box>
                          </Box>
                        );
                      })}
                    </tr>
                  );
                })}
                {padBottom > 0 && (
                  <tr aria-hidden>
                    <td style={{ height: padBottom, padding: 0 }} colSpan={devices.length + 1} />
                  </tr>
                )}
              </tbody>
            </Box>
          )}
          {matrix && apps.length === 0 && (
            <EmptyState title="No app matches the filter">Try fewer letters.</EmptyState>
          )}
        </Box>
      )}
      <Popper
        open={hint !== null && pinned === null && hint.el.isConnected}
        anchorEl={hint?.el}
        placement="bottom"
        sx={{ zIndex: (t) => t.zIndex.tooltip, pointerEvents: 'none' }}
      >
        {hint && (
          <Paper
            id="compat-hint"
            role="tooltip"
            data-testid={testIds.compat.tooltip}
            elevation={6}
            sx={{ p: 1.25, mt: 0.5 }}
          >
            <CellWhy
              app={hint.app}
              device={hint.device}
              cell={cells.get(`${hint.app.id}\u0000${hint.device}`)}
            />
          </Paper>
        )}
      </Popper>
      <Popover
        open={pinned !== null}
        anchorEl={pinned?.el}
        onClose={() => setPinned(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
        transformOrigin={{ vertical: 'top', horizontal: 'center' }}
        slotProps={{ paper: { sx: { p: 1.5 }, 'data-testid': testIds.compat.popover } as object }}
      >
        {pinned && (
          <>
            <CellWhy
              app={pinned.app}
              device={pinned.device}
              cell={cells.get(`${pinned.app.id}\u0000${pinned.device}`)}
            />
            <Button
              sx={{ mt: 1 }}
              onClick={() => navigate({ screen: 'catalog', params: { app: pinned.app.id } })}
            >
              Open {pinned.app.name}
            </Button>
          </>
        )}
      </Popover>
    </Box>
  );
}
