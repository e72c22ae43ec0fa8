import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useQuery } from '../../state/use-query';
import { testIds } from '../../test-ids';

/** The last lines of each container of a deployment, read from the device when asked. */
export function DeploymentLogs({ id, seq }: { id: string; seq: number }) {
  const {
    data: logs,
    error,
    loading,
  } = useQuery('deployments.logs', { id, tail: 200 }, { refreshKey: seq });

  return (
    <Box data-testid={testIds.deployments.logsView}>
      {loading && <LinearProgress sx={{ mb: 1 }} />}
      {error && (
        <ErrorAlert
          error={error}
          title="The logs could not be read"
          testId={testIds.deployments.logsError}
        />
      )}
      {logs?.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No container of this deployment runs on the device now.
        </Typography>
      )}
      {logs?.map((l) => (
        <Box key={l.container} sx={{ mb: 1 }} data-testid={testIds.deployments.log(l.container)}>
          <Typography variant="caption" color="text.secondary" component="div">
            {l.component} / {l.service}{' '}
            <Box component="span" sx={{ fontFamily: 'monospace' }}>
              ({l.container})
            </Box>
          </Typography>
          <Box
            component="pre"
            tabIndex={0}
            aria-label={`Log of ${l.container}`}
            sx={{
              m: 0,
              p: 1,
              maxHeight: 260,
              overflow: 'auto',
              fontFamily: 'monospace',
              fontSize: 12,
              whiteSpace: 'pre-wrap',
              overflowWrap: 'anywhere',
              bgcolor: 'action.hover',
              borderRadius: 1,
            }}
          >
            {l.text || '(no output)'}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
