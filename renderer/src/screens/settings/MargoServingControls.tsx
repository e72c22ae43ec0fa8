import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { MargoServingView } from '../../../../shared/contract/margo';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { onlyWho } from '../../components/role-text';
import { FactList } from '../../components/FactList';
import { dateTime } from '../../format';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';
import { listeningWords, STOP_WORDS } from './margo-text';

const PORT = /^\d{1,5}$/;

function portProblem(text: string): string | undefined {
  const t = text.trim();
  if (!PORT.test(t) || Number(t) > 65535) return 'A port number, 1 to 65535 (0: any free port)';
  return undefined;
}

/**
 * Serving Margo devices from this app: the start form (address, ports, TLS 1.2) while it does
 * not serve; where it serves, since when, and Stop while it does.
 */
export function MargoServingControls({
  view,
  onView,
}: {
  view: MargoServingView;
  onView: (view: MargoServingView) => void;
}) {
  const { transport, may } = useApp();
  const [host, setHost] = useState(view.defaults.host);
  const [port, setPort] = useState(String(view.defaults.port));
  const [trustPort, setTrustPort] = useState(String(view.defaults.trustPort));
  const [tls12, setTls12] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ContractError | null>(null);
  const [stopping, setStopping] = useState(false);
  // The defaults follow where it served last (another window may have started it elsewhere).
  const { host: lastHost, port: lastPort } = view.defaults;
  useEffect(() => {
    setHost(lastHost);
    setPort(String(lastPort));
  }, [lastHost, lastPort]);

  const problems = {
    host: host.trim() === '' ? 'An address of this computer, or 0.0.0.0 for every one' : undefined,
    port: portProblem(port),
    trustPort: portProblem(trustPort),
  };
  const valid = !problems.host && !problems.port && !problems.trustPort;

  const start = async () => {
    setBusy(true);
    setFailure(null);
    try {
      onView(
        await transport.call('margo.start', {
          host: host.trim(),
          port: Number(port.trim()),
          trustPort: Number(trustPort.trim()),
          ...(tls12 ? { tls12: true } : {}),
        }),
      );
    } catch (e) {
      setFailure(asContractError(e));
    } finally {
      setBusy(false);
    }
  };

  const serving = view.serving;
  return (
    <Box sx={{ mb: 1.5 }}>
      <Typography
        variant="body2"
        data-testid={testIds.margo.state}
        data-serving={serving ? 'true' : 'false'}
        sx={{ fontWeight: 500, color: serving ? 'success.main' : 'text.secondary', mb: 1 }}
      >
        {serving
          ? `● Serving Margo devices since ${dateTime(serving.since)}, ${listeningWords(serving)}`
          : '○ Not serving: Margo devices cannot reach this computer'}
      </Typography>
      {serving ? (
        <>
          <FactList
            facts={[
              { label: 'WFM URL', value: serving.url, testId: testIds.margo.wfmUrl, mono: true },
              {
                label: 'Trust bundle',
                value: serving.trustBundleUrl,
                testId: testIds.margo.trustBundleUrl,
                mono: true,
              },
            ]}
          />
          {may('margo.stop') && (
            <Button
              variant="outlined"
              color="error"
              onClick={() => setStopping(true)}
              data-testid={testIds.margo.stop}
            >
              Stop serving
            </Button>
          )}
        </>
      ) : !may('margo.start') ? (
        <Typography variant="body2" color="text.secondary">
          {onlyWho('margo.start', 'starts serving them')}
        </Typography>
      ) : (
        <>
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
            <TextField
              size="small"
              label="Address"
              value={host}
              onChange={(e) => setHost(e.target.value)}
              error={problems.host !== undefined}
              helperText={problems.host ?? '0.0.0.0: every address of this computer'}
              slotProps={{ htmlInput: { 'data-testid': testIds.margo.host, maxLength: 255 } }}
              sx={{ flex: 2, minWidth: 160 }}
            />
            <TextField
              size="small"
              label="WFM port"
              value={port}
              onChange={(e) => setPort(e.target.value)}
              error={problems.port !== undefined}
              helperText={problems.port ?? 'Devices call here (mutual TLS)'}
              slotProps={{ htmlInput: { 'data-testid': testIds.margo.port, inputMode: 'numeric' } }}
              sx={{ flex: 1, minWidth: 120 }}
            />
            <TextField
              size="small"
              label="Trust bundle port"
              value={trustPort}
              onChange={(e) => setTrustPort(e.target.value)}
              error={problems.trustPort !== undefined}
              helperText={problems.trustPort ?? 'Anyone may fetch the plant CA here'}
              slotProps={{
                htmlInput: { 'data-testid': testIds.margo.trustPort, inputMode: 'numeric' },
              }}
              sx={{ flex: 1, minWidth: 120 }}
            />
          </Box>
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={tls12}
                  onChange={(e) => setTls12(e.target.checked)}
                  slotProps={{ input: { 'data-testid': testIds.margo.tls12 } as object }}
                />
              }
              label="Also accept TLS 1.2 (device clients without TLS 1.3)"
              sx={{ flex: 1 }}
            />
            <Button
              variant="contained"
              disabled={busy || !valid}
              onClick={() => void start()}
              data-testid={testIds.margo.start}
            >
              {busy ? 'Starting…' : 'Start serving'}
            </Button>
          </Box>
        </>
      )}
      {failure && (
        <ErrorAlert
          error={failure}
          title="Serving did not start"
          testId={testIds.margo.startError}
        />
      )}
      <ConfirmDialog
        open={stopping}
        title="Stop serving Margo devices?"
        confirmLabel="Stop serving"
        testId={testIds.margo.stopDialog}
        onClose={() => setStopping(false)}
        onConfirm={async () => onView(await transport.call('margo.stop', {}))}
      >
        <Typography variant="body2">{STOP_WORDS}</Typography>
      </ConfirmDialog>
    </Box>
  );
}
