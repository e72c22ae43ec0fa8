import DescriptionOutlinedIcon from '@mui/icons-material/DescriptionOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useState, type MouseEvent } from 'react';
import type { ContractError } from '../../../shared/contract/contract-error';
import type { CreatedReport } from '../../../shared/contract/reports';
import { useApp } from '../state/app-state';
import { asContractError } from '../transport/contract-check';
import { testIds } from '../test-ids';
import { ErrorAlert } from './ErrorAlert';

/**
 * "Report": the commissioning report of these devices (or of every device). The desktop app
 * asks where to save it (the file's type decides PDF or web page); the browser asks which and
 * downloads it. Says what was made, with the report's digest, or why not.
 */
export function ReportButton({
  devices,
  testId,
  label = 'Report',
}: {
  devices: 'all' | string[];
  testId: string;
  label?: string;
}) {
  const { transport } = useApp();
  const desktop = transport.host === 'electron';
  const [menu, setMenu] = useState<HTMLElement | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<CreatedReport | null>(null);
  const [failure, setFailure] = useState<ContractError | null>(null);

  const create = async (format: 'pdf' | 'html' | null) => {
    setMenu(null);
    setFailure(null);
    setMade(null);
    setBusy(true);
    try {
      let to: { kind: 'file'; file: string } | { kind: 'download'; format: 'pdf' | 'html' };
      if (desktop || format === null) {
        const file = await transport.pickFile('report-file', 'file');
        if (!file) return;
        to = { kind: 'file', file: file.token };
      } else {
        to = { kind: 'download', format };
      }
      const answer = await transport.call('reports.create', { devices, to });
      if (answer.download) transport.download?.(answer.download);
      setMade(answer);
    } catch (e) {
      setFailure(asContractError(e));
    } finally {
      setBusy(false);
    }
  };

  const open = (e: MouseEvent<HTMLElement>) => {
    if (desktop) void create(null);
    else setMenu(e.currentTarget);
  };

  return (
    <Box sx={{ display: 'inline-flex', flexDirection: 'column', alignItems: 'flex-start' }}>
      <Button
        variant="outlined"
        startIcon={<DescriptionOutlinedIcon />}
        onClick={open}
        disabled={busy}
        data-testid={testId}
      >
        {label}
      </Button>
      <Menu anchorEl={menu} open={menu !== null} onClose={() => setMenu(null)}>
        <MenuItem
          onClick={() => void create('pdf')}
          data-testid={testIds.devices.reportFormat('pdf')}
        >
          PDF document
        </MenuItem>
        <MenuItem
          onClick={() => void create('html')}
          data-testid={testIds.devices.reportFormat('html')}
        >
          Web page (prints one device per page)
        </MenuItem>
      </Menu>
      {made && (
        <Alert
          severity="success"
          onClose={() => setMade(null)}
          data-testid={testIds.devices.reportMade}
          data-digest={made.digest}
          sx={{ my: 1 }}
        >
          {made.file
            ? `Report of ${made.devices === 1 ? 'one device' : `${made.devices} devices`} saved as ${made.file}.`
            : `Report of ${made.devices === 1 ? 'one device' : `${made.devices} devices`} downloaded as ${made.download?.name ?? 'a file'}.`}{' '}
          Its digest: {made.digest}
        </Alert>
      )}
      {failure && (
        <ErrorAlert
          error={failure}
          title="No report was made"
          testId={testIds.devices.reportError}
          onClose={() => setFailure(null)}
        />
      )}
    </Box>
  );
}
