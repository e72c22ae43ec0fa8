import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { SavedLogsView, ServiceLogsView } from '../../../../shared/contract/deploy';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatBytes, plural } from '../../format';
import { useApp } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { testIds } from '../../test-ids';
import { asContractError } from '../../transport/contract-check';
import { FOLLOW_KEEP_CHARS, useLogFollow } from './use-log-follow';

type ServiceLog = ServiceLogsView[number];

function LogText({ log, following }: { log: ServiceLog; following: boolean }) {
  const pre = useRef<HTMLPreElement>(null);
  // Following: keep the newest line in view, as a terminal does.
  useEffect(() => {
    if (following && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [following, log.text]);
  return (
    <Box sx={{ mb: 1 }} data-testid={testIds.deployments.log(log.container)}>
      <Typography variant="caption" color="text.secondary" component="div">
        {log.component} / {log.service}{' '}
        <Box component="span" sx={{ fontFamily: 'monospace' }}>
          ({log.container})
        </Box>
      </Typography>
      <Box
        component="pre"
        ref={pre}
        tabIndex={0}
        aria-label={`Log of ${log.container}`}
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
        {log.text || (
          <Box
            component="span"
            sx={{ color: 'text.secondary' }}
            data-testid={testIds.deployments.logEmpty(log.container)}
          >
            (no output: {log.quiet ?? 'nothing written'}
            {following ? ' — new lines show here as they come' : ''})
          </Box>
        )}
      </Box>
    </Box>
  );
}

/**
 * The last lines of each container of a deployment, read from the device when asked; with
 * Follow, what they print from then on, as they print it; Download saves every line.
 */
export function DeploymentLogs({ id, seq }: { id: string; seq: number }) {
  const { transport } = useApp();
  const {
    data: logs,
    error,
    loading,
  } = useQuery('deployments.logs', { id, tail: 200 }, { refreshKey: seq });
  const [follow, setFollow] = useState(false);
  const followed = useLogFollow(id, follow, seq);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<SavedLogsView | null>(null);
  const [saveError, setSaveError] = useState<ContractError | null>(null);

  // The follow ended by itself (the containers stopped): the switch says so.
  useEffect(() => {
    if (followed.ended !== null) setFollow(false);
  }, [followed.ended]);

  const download = async () => {
    setSaving(true);
    setSaved(null);
    setSaveError(null);
    try {
      let to: { kind: 'file'; file: string } | { kind: 'download' } = { kind: 'download' };
      if (transport.host === 'electron') {
        const file = await transport.pickFile('logs-file', 'file');
        if (!file) return;
        to = { kind: 'file', file: file.token };
      }
      const answer = await transport.call('deployments.saveLogs', { id, to });
      if (answer.download) transport.download?.(answer.download);
      setSaved(answer);
    } catch (e) {
      setSaveError(asContractError(e));
    } finally {
      setSaving(false);
    }
  };

  // What was read, with what came since while following (new containers too).
  const shown: ServiceLog[] = (logs ?? []).map((l) => {
    const more = followed.texts[l.container]?.text ?? '';
    const text = l.text + more;
    return { ...l, text: text.length > FOLLOW_KEEP_CHARS ? text.slice(-FOLLOW_KEEP_CHARS) : text };
  });
  for (const [container, f] of Object.entries(followed.texts)) {
    if (!shown.some((l) => l.container === container)) shown.push({ ...f.source, text: f.text });
  }

  return (
    <Box data-testid={testIds.deployments.logsView}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 1 }}>
        <FormControlLabel
          data-testid={testIds.deployments.logsFollow}
          data-checked={follow ? 'true' : 'false'}
          control={<Switch checked={follow} onChange={(e) => setFollow(e.target.checked)} />}
          label="Follow"
        />
        <Button
          variant="outlined"
          size="small"
          onClick={() => void download()}
          disabled={saving}
          data-testid={testIds.deployments.logsDownload}
        >
          {transport.host === 'electron' ? 'Save all lines…' : 'Download all lines'}
        </Button>
        {saved && (
          <Typography variant="body2" color="text.secondary" aria-live="polite">
            {plural(saved.containers, 'container')}, {formatBytes(saved.bytes)}
            {saved.file ? ` saved to ${saved.file}` : ' downloaded'}.
          </Typography>
        )}
      </Box>
      {(loading || saving) && <LinearProgress sx={{ mb: 1 }} />}
      {error && (
        <ErrorAlert
          error={error}
          title="The logs could not be read"
          testId={testIds.deployments.logsError}
        />
      )}
      {followed.error && (
        <ErrorAlert error={followed.error} title="The logs could not be followed" />
      )}
      {saveError && <ErrorAlert error={saveError} title="The logs could not be saved" />}
      {followed.ended !== null && (
        <Alert severity="info" sx={{ mb: 1 }}>
          Stopped following: {followed.ended}.
        </Alert>
      )}
      {logs?.length === 0 && shown.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No container of this deployment is on the device now: it was removed there, or not created
          yet.
        </Typography>
      )}
      {shown.map((l) => (
        <LogText key={l.container} log={l} following={follow} />
      ))}
    </Box>
  );
}
