import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { hostAccessSummary } from '../../../../shared/compose/host-access';
import type { DevicePlanView } from '../../../../shared/contract/deploy';
import { shortDigests } from '../../../../shared/trust/artifact-trust-words';
import { formatBytes } from '../../format';
import { testIds } from '../../test-ids';
import { screenWords } from '../../components/screen-words';
import { PlanValues } from './PlanValues';

type OkPlan = Extract<DevicePlanView, { ok: true }>;

const ACTION: Record<string, { word: string; color: string }> = {
  create: { word: 'create', color: 'success.main' },
  recreate: { word: 'recreate', color: 'warning.main' },
  start: { word: 'start', color: 'info.main' },
  remove: { word: 'remove', color: 'error.main' },
  unchanged: { word: 'unchanged', color: 'text.secondary' },
};

function Warnings({ warnings, testId }: { warnings: readonly string[]; testId: string }) {
  if (warnings.length === 0) return null;
  return (
    <Alert severity="warning" data-testid={testId} sx={{ mt: 1 }}>
      <Box component="ul" sx={{ m: 0, pl: 2 }}>
        {warnings.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </Box>
    </Alert>
  );
}

function PlanItems({ plan, device }: { plan: OkPlan; device: string }) {
  if (plan.items.length === 0) return null;
  return (
    <Table aria-label={`What changes on ${plan.device}`} sx={{ mt: 1 }}>
      <TableHead>
        <TableRow>
          <TableCell>Component</TableCell>
          <TableCell>Service</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>Why</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {plan.items.map((item, i) => {
          const action = ACTION[item.action] ?? { word: item.action, color: 'text.primary' };
          return (
            <TableRow
              key={`${item.component}-${item.service}-${i}`}
              data-testid={testIds.deploy.planItem(device, item.service)}
              data-action={item.action}
            >
              <TableCell>{item.component}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }}>{item.service}</TableCell>
              <TableCell sx={{ color: action.color, fontWeight: 600 }}>{action.word}</TableCell>
              <TableCell sx={{ color: 'text.secondary' }}>
                {item.reasons.length ? item.reasons.join('; ') : '—'}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function Images({ plan, device }: { plan: OkPlan; device: string }) {
  if (plan.images.length === 0) return null;
  const known = plan.images.every((i) => i.bytes !== null);
  const total = plan.images.reduce((sum, i) => sum + (i.bytes ?? 0), 0);
  return (
    <Box sx={{ mt: 1 }} data-testid={testIds.deploy.images(device)}>
      <Typography variant="subtitle2" component="h4">
        Images to side-load from the store{known ? ` (${formatBytes(total)})` : ''}
      </Typography>
      <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: 13 }}>
        {plan.images.map((image) => (
          <li key={image.name}>
            <Box component="span" sx={{ fontFamily: 'monospace' }}>
              {image.name}
            </Box>{' '}
            <Box component="span" sx={{ color: 'text.secondary' }}>
              {image.bytes !== null ? formatBytes(image.bytes) : 'size unknown'}
            </Box>
          </li>
        ))}
      </Box>
    </Box>
  );
}

function DeploymentYaml({ plan, device }: { plan: OkPlan; device: string }) {
  return (
    <Box sx={{ mt: 1 }}>
      {/* A native disclosure: keyboard friendly, and the YAML stays in the page when closed. */}
      <Box
        component="details"
        data-testid={testIds.deploy.yaml(device)}
        sx={{ '& > summary': { cursor: 'pointer', fontSize: 13, fontWeight: 600 } }}
      >
        <summary>ApplicationDeployment (secrets masked)</summary>
        <Box
          component="pre"
          sx={{
            m: 0,
            mt: 0.5,
            p: 1,
            maxHeight: 320,
            overflow: 'auto',
            fontFamily: 'monospace',
            fontSize: 12,
            bgcolor: 'action.hover',
            borderRadius: 1,
          }}
        >
          {plan.yaml}
        </Box>
      </Box>
      <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5 }}>
        Digest of the bytes sent:{' '}
        <Box
          component="span"
          data-testid={testIds.deploy.digest(device)}
          sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
        >
          {plan.digest}
        </Box>
      </Typography>
    </Box>
  );
}

/** One device's plan: refused with the reasons, or what changes, what is sent, the YAML. */
export function DevicePlanCard({ plan }: { plan: DevicePlanView }) {
  const device = plan.device;
  const state = !plan.ok ? 'refused' : plan.upToDate ? 'up-to-date' : 'ok';
  return (
    <Paper
      variant="outlined"
      data-testid={testIds.deploy.plan(device)}
      data-state={state}
      sx={{ p: 1.5 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
          {plan.device}
        </Typography>
        {plan.ok ? (
          <Chip
            label={plan.update === null ? 'new deployment' : `update of revision ${plan.update}`}
            color={plan.update === null ? 'success' : 'info'}
            variant="outlined"
          />
        ) : (
          <Chip label="refused" color="error" variant="outlined" />
        )}
      </Box>
      {plan.ok && plan.hostAccess.length > 0 && (
        <Typography
          variant="body2"
          color="error.main"
          sx={{ mt: 0.5, fontWeight: 600 }}
          data-testid={testIds.deploy.planHostAccess(device)}
        >
          Needs access to the device itself: {hostAccessSummary(plan.hostAccess)} (listed above)
        </Typography>
      )}
      {!plan.ok && (
        <Alert
          severity="error"
          sx={{ mt: 1, whiteSpace: 'pre-line' }}
          data-testid={testIds.deploy.planRefused(device)}
        >
          {shortDigests(plan.message)}
          <Box component="span" sx={{ ml: 1, opacity: 0.7, fontSize: '0.85em' }}>
            ({plan.code})
          </Box>
          {plan.errors.length > 0 && (
            <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2 }}>
              {plan.errors.map((e, i) => (
                <li key={i} data-parameter={e.parameter}>
                  <Box component="span" sx={{ fontWeight: 600 }}>
                    {e.setting ?? e.parameter}
                  </Box>
                  {e.setting ? ` (${e.parameter})` : ''}: {screenWords(e.message)}
                </li>
              ))}
            </Box>
          )}
        </Alert>
      )}
      {plan.ok && plan.upToDate && (
        <Alert severity="info" sx={{ mt: 1 }} data-testid={testIds.deploy.planUpToDate(device)}>
          Up to date: nothing to do. {plan.device} already runs exactly this.
        </Alert>
      )}
      {plan.ok && (
        <>
          <PlanItems plan={plan} device={device} />
          <PlanValues device={device} values={plan.values ?? []} />
          <Images plan={plan} device={device} />
        </>
      )}
      <Warnings warnings={plan.warnings} testId={testIds.deploy.planWarnings(device)} />
      {plan.ok && <DeploymentYaml plan={plan} device={device} />}
    </Paper>
  );
}
