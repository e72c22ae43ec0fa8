import AddIcon from '@mui/icons-material/Add';
import DeleteOutlinedIcon from '@mui/icons-material/DeleteOutlined';
import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
import RefreshIcon from '@mui/icons-material/Refresh';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { DeviceView } from '../../../../shared/contract/devices';
import type { ProbeResult } from '../../../../shared/devices/probe-result';
import { TruncatedText } from '../../components/TruncatedText';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MasterDetail } from '../../components/MasterDetail';
import { onlyWho } from '../../components/role-text';
import { ReportButton } from '../../components/ReportButton';
import { dateTime, formatBytes, plural, timeAgo } from '../../format';
import { useApp } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { asContractError } from '../../transport/contract-check';
import { DeviceDetail } from './DeviceDetail';
import { DeviceDialog } from './DeviceDialog';
import { reachabilityOf } from './device-text';
import { testIds } from '../../test-ids';
import { screenWords } from '../../components/screen-words';

export function DevicesScreen() {
  const { transport, route, navigate, reportScreenLoaded, may } = useApp();
  const query = useQuery('devices.list', {}, { refreshOn: ['devices'] });
  const [probeError, setProbeError] = useState<ContractError | null>(null);
  const [probing, setProbing] = useState<ReadonlySet<string>>(new Set());
  const [probes, setProbes] = useState<ReadonlyMap<string, ProbeResult>>(new Map());
  const [dialog, setDialog] = useState<{ device: DeviceView | null } | null>(null);
  const [removing, setRemoving] = useState<DeviceView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = query.reload;
  // Once the first answer failed, the list is empty (with the error above it), not loading.
  const devices = query.data ?? (query.error ? [] : null);
  const error = probeError ?? query.error;
  const clearError = () => {
    setProbeError(null);
    query.clearError();
  };

  // Each new list holds the newest probes: the ones made here are no longer newer.
  useEffect(() => setProbes(new Map()), [query.data]);
  useEffect(() => {
    if (devices !== null) reportScreenLoaded();
  }, [devices, reportScreenLoaded]);

  const probe = async (names: string[] | undefined) => {
    const targets = names ?? devices?.map((d) => d.name) ?? [];
    setProbing((s) => new Set([...s, ...targets]));
    clearError();
    try {
      const results = await transport.call('devices.probe', names ? { names } : {});
      setProbes((old) => {
        const next = new Map(old);
        for (const r of results) next.set(r.name, r);
        return next;
      });
      const failed = results.filter((r) => !r.reachable).length;
      setNotice(
        results.length === 1
          ? `${results[0]?.name}: ${results[0]?.reachable ? 'reachable' : 'did not answer'}`
          : `${plural(results.length, 'device')} probed${failed ? `, ${failed} did not answer` : ', all answered'}`,
      );
      load();
    } catch (e) {
      setProbeError(asContractError(e));
    } finally {
      setProbing((s) => new Set([...s].filter((n) => !targets.includes(n))));
    }
  };

  const selectedName = route.params.device ?? null;
  const selected = devices?.find((d) => d.name === selectedName) ?? null;
  const select = (name: string | null) =>
    navigate({ screen: 'devices', params: name ? { device: name } : {} }, true);
  // With a device open beside the list, the columns the pane repeats give way, so the name,
  // reachability, last seen and the actions stay on screen (1366 px wide and up).
  const compact = selected !== null;

  return (
    <Box
      data-testid={testIds.devices.screen}
      sx={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}
    >
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1,
          px: 1.5,
          py: 1,
          borderBottom: 1,
          borderColor: 'divider',
          flexWrap: 'wrap',
        }}
      >
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Devices
        </Typography>
        {notice && (
          <Typography
            variant="body2"
            color="text.secondary"
            aria-live="polite"
            data-testid={testIds.devices.probeNotice}
          >
            {notice}
          </Typography>
        )}
        <Button
          variant="outlined"
          startIcon={<RefreshIcon />}
          onClick={() => void probe(undefined)}
          disabled={!devices?.length || probing.size > 0}
          data-testid={testIds.devices.probeAll}
        >
          Probe all
        </Button>
        {!!devices?.length && <ReportButton devices="all" testId={testIds.devices.reportAll} />}
        {may('devices.add') && (
          <Button
            variant="contained"
            startIcon={<AddIcon />}
            onClick={() => setDialog({ device: null })}
            data-testid={testIds.devices.add}
          >
            Add device
          </Button>
        )}
      </Box>
      {devices === null && <LinearProgress />}
      {error && (
        <Box sx={{ px: 1.5 }}>
          <ErrorAlert error={error} testId={testIds.devices.error} onClose={clearError} />
        </Box>
      )}
      <MasterDetail
        narrowBelow={1100}
        detailWidth="clamp(360px, 38%, 560px)"
        detail={
          selected ? (
            <DeviceDetail
              device={selected}
              probe={probes.get(selected.name)}
              onClose={() => select(null)}
            />
          ) : null
        }
        list={
          devices?.length === 0 ? (
            <EmptyState
              testId={testIds.devices.empty}
              title="No devices yet"
              actions={
                may('devices.add') && (
                  <Button
                    variant="contained"
                    startIcon={<AddIcon />}
                    onClick={() => setDialog({ device: null })}
                  >
                    Add a device
                  </Button>
                )
              }
            >
              {may('devices.add')
                ? 'Add the Docker devices of this line: their address (tcp://…:2376 with the TLS files, ssh://user@host, or a local socket). Commissioner then probes what they can run.'
                : onlyWho('devices.add', 'adds the devices of this line')}
            </EmptyState>
          ) : (
            <TableContainer>
              <Table stickyHeader aria-label="Devices">
                <TableHead>
                  <TableRow>
                    <TableCell>Name</TableCell>
                    {!compact && <TableCell>Address</TableCell>}
                    <TableCell>Reachability</TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>Last seen</TableCell>
                    {!compact && <TableCell>Platform</TableCell>}
                    {!compact && <TableCell>Labels</TableCell>}
                    <TableCell align="right" data-testid={testIds.devices.actionsHeader}>
                      Actions
                    </TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {devices?.map((d) => {
                    const last = probes.get(d.name) ?? d.lastProbe;
                    const reach = reachabilityOf({ ...d, lastProbe: last });
                    const facts = last?.facts ?? d.lastProbe?.facts;
                    return (
                      <TableRow
                        key={d.name}
                        hover
                        selected={d.name === selectedName}
                        data-testid={testIds.devices.row(d.name)}
                        data-reachability={reach.state}
                        onClick={() => select(d.name)}
                        sx={{ cursor: 'pointer' }}
                      >
                        <TableCell>
                          <Button
                            variant="text"
                            onClick={(e) => {
                              e.stopPropagation();
                              select(d.name);
                            }}
                            title={d.name}
                            sx={{ fontWeight: 600, p: 0, minWidth: 0, maxWidth: 220 }}
                            data-testid={testIds.devices.open(d.name)}
                          >
                            <TruncatedText>{d.name}</TruncatedText>
                          </Button>
                        </TableCell>
                        {!compact && (
                          <TableCell sx={{ fontFamily: 'monospace', fontSize: 12 }}>
                            {d.connection.address}
                          </TableCell>
                        )}
                        <TableCell
                          data-testid={testIds.devices.reachability(d.name)}
                          sx={{ color: reach.color, whiteSpace: 'nowrap' }}
                        >
                          <Tooltip
                            title={
                              last?.error ? `${reach.word}. ${screenWords(last.error.message)}` : ''
                            }
                          >
                            <span>
                              {reach.state === 'reachable'
                                ? '● '
                                : reach.state === 'unreachable'
                                  ? '✗ '
                                  : '○ '}
                              {reach.short}
                            </span>
                          </Tooltip>
                        </TableCell>
                        <TableCell
                          title={d.lastSeen ? dateTime(d.lastSeen) : undefined}
                          sx={{ whiteSpace: 'nowrap' }}
                        >
                          {d.lastSeen ? timeAgo(d.lastSeen) : 'never'}
                        </TableCell>
                        {!compact && (
                          <TableCell sx={{ whiteSpace: 'nowrap' }}>
                            {facts
                              ? `${facts.architecture} · ${plural(facts.cpus, 'core')} · ${formatBytes(facts.memoryBytes)}`
                              : '—'}
                          </TableCell>
                        )}
                        {!compact && (
                          <TableCell>
                            <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
                              {Object.entries(d.labels).map(([k, v]) => (
                                <Chip key={k} label={`${k}=${v}`} />
                              ))}
                            </Box>
                          </TableCell>
                        )}
                        <TableCell
                          align="right"
                          sx={{ whiteSpace: 'nowrap' }}
                          onClick={(e) => e.stopPropagation()}
                        >
                          <Tooltip title={`Probe ${d.name}`}>
                            <span>
                              <IconButton
                                onClick={() => void probe([d.name])}
                                disabled={probing.has(d.name)}
                                aria-label={`Probe ${d.name}`}
                                data-testid={testIds.devices.probe(d.name)}
                              >
                                {probing.has(d.name) ? (
                                  <CircularProgress size={18} />
                                ) : (
                                  <RefreshIcon fontSize="small" />
                                )}
                              </IconButton>
                            </span>
                          </Tooltip>
                          {may('devices.update') && (
                            <Tooltip title={`Edit labels and description of ${d.name}`}>
                              <IconButton
                                onClick={() => setDialog({ device: d })}
                                aria-label={`Edit ${d.name}`}
                                data-testid={testIds.devices.edit(d.name)}
                              >
                                <EditOutlinedIcon fontSize="small" />
                              </IconButton>
                            </Tooltip>
                          )}
                          {may('devices.remove') && (
                            <Tooltip title={`Remove ${d.name}`}>
                              <IconButton
                                onClick={() => setRemoving(d)}
                                aria-label={`Remove ${d.name}`}
                                data-testid={testIds.devices.remove(d.name)}
                              >
                                <DeleteOutlinedIcon fontSize="small" />
                              </IconButton>
                            </Tooltip>
                          )}
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </TableContainer>
          )
        }
      />
      {dialog && (
        <DeviceDialog
          open
          device={dialog.device}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            setNotice(
              dialog.device
                ? `${saved.name} saved`
                : `${saved.name} added${saved.lastProbe && !saved.lastProbe.reachable ? ', but it does not answer now' : ''}`,
            );
            load();
            select(saved.name);
          }}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.name ?? ''}?`}
        confirmLabel="Remove device"
        testId={testIds.devices.removeDialog}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await transport.call('devices.remove', { name: removing.name });
          if (selectedName === removing.name) select(null);
          load();
        }}
      >
        <Typography variant="body2">
          {removing?.name} leaves the inventory with its copied TLS files. Nothing changes on the
          device itself; add it again to manage it.
        </Typography>
      </ConfirmDialog>
    </Box>
  );
}
