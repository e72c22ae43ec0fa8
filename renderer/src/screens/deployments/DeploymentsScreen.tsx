import { takenOverWords } from '../../../../shared/application-deployment/ownership-labels';
import RefreshIcon from '@mui/icons-material/Refresh';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunchOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Switch from '@mui/material/Switch';
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
import type { DeploymentListEntry } from '../../../../shared/contract/deployments';
import { TruncatedText } from '../../components/TruncatedText';
import { CheckedAgo } from '../../components/CheckedAgo';
import { DriftWords } from '../../components/DriftWords';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MargoStateWord } from '../../components/MargoStateWord';
import { MasterDetail } from '../../components/MasterDetail';
import { capitalized, dateTime, plural, timeAgo } from '../../format';
import { useApp } from '../../state/app-state';
import { useEndedJobsKey } from '../../state/use-ended-jobs';
import { useQuery } from '../../state/use-query';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';
import { DeploymentDetailPane } from './DeploymentDetailPane';
import { screenWords } from '../../components/screen-words';

function Row({
  d,
  selected,
  onSelect,
}: {
  d: DeploymentListEntry;
  selected: boolean;
  onSelect: () => void;
}) {
  const failing = d.components.filter((c) => c.state !== 'installed' && c.state !== 'removed');
  return (
    <TableRow
      hover
      selected={selected}
      data-testid={testIds.deployments.row(d.id)}
      data-state={d.state}
      onClick={onSelect}
      sx={{ cursor: 'pointer' }}
    >
      <TableCell>
        {/* The name is the row's keyboard target; the row is clickable for the mouse. */}
        <Button
          variant="text"
          onClick={(e) => {
            e.stopPropagation();
            onSelect();
          }}
          aria-current={selected ? 'true' : undefined}
          data-testid={testIds.deployments.open(d.id)}
          title={d.appName ?? d.appId}
          sx={{
            fontWeight: 600,
            p: 0,
            minWidth: 0,
            maxWidth: 260,
            textAlign: 'left',
            justifyContent: 'start',
          }}
        >
          <TruncatedText>{d.appName ?? d.appId}</TruncatedText>
        </Button>
        {d.appName && (
          <Typography
            variant="caption"
            color="text.secondary"
            component="div"
            noWrap
            title={d.appId}
            sx={{ maxWidth: 260 }}
          >
            {d.appId}
          </Typography>
        )}
      </TableCell>
      <TableCell>{d.version}</TableCell>
      <TableCell title={d.device} sx={{ maxWidth: 200 }}>
        <TruncatedText>{d.device}</TruncatedText>
        <CheckedAgo check={d.check ?? null} testId={testIds.deployments.rowChecked(d.id)} />
      </TableCell>
      <TableCell align="right">{d.revision}</TableCell>
      <TableCell>
        <MargoStateWord state={d.state} testId={testIds.deployments.rowState(d.id)} />
        {d.error && (
          <Typography
            variant="caption"
            component="div"
            sx={{ color: 'error.main', maxWidth: 320, overflowWrap: 'anywhere' }}
          >
            {screenWords(d.error.message)}
          </Typography>
        )}
        {!d.error && failing.length > 0 && (
          <Typography variant="caption" component="div" color="text.secondary">
            {failing.map((c) => `${c.name}: ${c.state}`).join(', ')}
          </Typography>
        )}
        {d.takenOver && (
          <Typography
            variant="caption"
            component="div"
            color="warning.main"
            data-testid={testIds.deployments.rowTakenOver(d.id)}
          >
            {capitalized(takenOverWords(d.takenOver))}
          </Typography>
        )}
        <DriftWords
          drift={d.components.flatMap((c) => c.drift ?? [])}
          testId={testIds.deployments.rowDrift(d.id)}
          showComponent={d.components.length > 1}
        />
      </TableCell>
      <TableCell title={dateTime(d.updatedAt)} sx={{ whiteSpace: 'nowrap' }}>
        {timeAgo(d.updatedAt)}
      </TableCell>
    </TableRow>
  );
}

/** What runs where: every deployment with its Margo state; one opens beside the list. */
export function DeploymentsScreen() {
  const { route, navigate, reportScreenLoaded, transport } = useApp();
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<ContractError | null>(null);
  // Every device is asked; the list follows by itself (the store announces what changed).
  const refreshAll = async () => {
    setRefreshing(true);
    setRefreshError(null);
    try {
      await transport.call('deployments.refreshAll', {});
    } catch (e) {
      setRefreshError(asContractError(e));
    } finally {
      setRefreshing(false);
    }
  };
  const ended = useEndedJobsKey();
  // Removed deployments left their devices: shown only when asked for.
  const [showRemoved, setShowRemoved] = useState(false);
  const query = useQuery('deployments.list', showRemoved ? { includeRemoved: true } : {}, {
    refreshOn: ['deployments'],
    refreshKey: ended,
    keepPrevious: true,
  });
  const error = query.error;
  // Once the first answer failed, the list is empty (with the error above it), not loading.
  const list = query.data ?? (error ? [] : null);
  useEffect(() => {
    if (list !== null) reportScreenLoaded();
  }, [list, reportScreenLoaded]);

  const selectedId = route.params.id ?? null;
  const select = (id: string | null) =>
    navigate({ screen: 'deployments', params: id ? { id } : {} }, true);
  const sorted = [...(list ?? [])].sort(
    (a, b) =>
      (a.appName ?? a.appId).localeCompare(b.appName ?? b.appId) ||
      a.device.localeCompare(b.device),
  );
  const problems = sorted.filter((d) => d.state === 'failed').length;

  return (
    <Box
      data-testid={testIds.deployments.screen}
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
          Deployments
        </Typography>
        {list && list.length > 0 && (
          <Typography
            variant="body2"
            color="text.secondary"
            data-testid={testIds.deployments.count}
          >
            {plural(list.length, 'deployment')}
            {problems ? `, ${problems} failed` : ''}
          </Typography>
        )}
        {list && list.length > 0 && (
          <Tooltip title="Ask every device what runs now (they are also asked on their own, regularly)">
            <span>
              <Button
                variant="outlined"
                startIcon={<RefreshIcon />}
                onClick={() => void refreshAll()}
                disabled={refreshing}
                data-testid={testIds.deployments.refreshAll}
              >
                Refresh all
              </Button>
            </span>
          </Tooltip>
        )}
        <FormControlLabel
          control={
            <Switch
              size="small"
              checked={showRemoved}
              onChange={(e) => setShowRemoved(e.target.checked)}
              slotProps={{ input: { 'aria-label': 'Show removed deployments' } }}
              data-testid={testIds.deployments.showRemoved}
            />
          }
          label="Show removed"
        />
        <Button
          variant="outlined"
          startIcon={<RocketLaunchIcon />}
          onClick={() => navigate({ screen: 'catalog', params: {} })}
          data-testid={testIds.deployments.goCatalog}
        >
          Deploy from the catalog
        </Button>
      </Box>
      {(list === null || refreshing) && <LinearProgress />}
      {refreshError && (
        <Box sx={{ px: 1.5 }}>
          <ErrorAlert
            error={refreshError}
            testId={testIds.deployments.refreshAllError}
            onClose={() => setRefreshError(null)}
          />
        </Box>
      )}
      {error && (
        <Box sx={{ px: 1.5 }}>
          <ErrorAlert error={error} testId={testIds.deployments.error} onClose={query.clearError} />
        </Box>
      )}
      <MasterDetail
        narrowBelow={1100}
        detailWidth="clamp(380px, 45%, 640px)"
        detail={
          selectedId ? (
            <DeploymentDetailPane
              key={selectedId}
              id={selectedId}
              entry={list?.find((d) => d.id === selectedId)}
              onClose={() => select(null)}
            />
          ) : null
        }
        list={
          list?.length === 0 ? (
            <EmptyState
              testId={testIds.deployments.empty}
              title="Nothing deployed yet"
              actions={
                <Button
                  variant="contained"
                  startIcon={<RocketLaunchIcon />}
                  onClick={() => navigate({ screen: 'catalog', params: {} })}
                >
                  Open the catalog
                </Button>
              }
            >
              Open an application in the catalog and choose Deploy…: pick its devices, configure it,
              review what changes, and deploy. Its deployments then show here with their state.
            </EmptyState>
          ) : (
            <TableContainer>
              <Table stickyHeader aria-label="Deployments">
                <TableHead>
                  <TableRow>
                    <TableCell>Application</TableCell>
                    <TableCell>Version</TableCell>
                    <TableCell>Device</TableCell>
                    <TableCell align="right">Revision</TableCell>
                    <TableCell>State</TableCell>
                    <TableCell>Updated</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {sorted.map((d) => (
                    <Row
                      key={d.id}
                      d={d}
                      selected={d.id === selectedId}
                      onSelect={() => select(d.id)}
                    />
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          )
        }
      />
    </Box>
  );
}
