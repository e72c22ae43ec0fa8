import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { ResponseOf } from '../../../../shared/contract/operations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { testIdPart } from '../../format';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';

type Logs = ResponseOf<'deployments.logs'>;

/** The last lines of each container of a deployment, read from the device when asked. */
export function DeploymentLogs({ id, seq }: { id: string; seq: number }) {
  const { transport } = useApp();
  const [logs, setLogs] = useState<Logs | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    setLoading(true);
    transport.call('deployments.logs', { id, tail: 200 }).then(
      (answer) => {
        if (!live) return;
        setLogs(answer);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(asContractError(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [transport, id, seq]);

  return (
    <Box data-testid="deployment-logs-view">
      {loading && <LinearProgress sx={{ mb: 1 }} />}
      {error && (
        <ErrorAlert
          error={error}
          title="The logs could not be read"
          testId="deployment-logs-error"
        />
      )}
      {logs?.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No container of this deployment runs on the device now.
        </Typography>
      )}
      {logs?.map((l) => (
        <Box
          key={l.container}
          sx={{ mb: 1 }}
          data-testid={`deployment-log-${testIdPart(l.container)}`}
        >
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
