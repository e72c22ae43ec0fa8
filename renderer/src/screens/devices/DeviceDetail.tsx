import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { DeviceView } from '../../../../shared/contract/devices';
import type { ProbeResult } from '../../../../shared/devices/probe-result';
import { dateTime, formatBytes, quantityWords, timeAgo } from '../../format';
import { useApp } from '../../state/app-state';
import { DetailHeader } from '../../components/DetailHeader';
import { ReportButton } from '../../components/ReportButton';
import { Section } from '../../components/Section';
import { PROBE_ERROR_TEXT, hostKeyText, notLearned, reachabilityOf } from './device-text';
import { HostAccessSetting } from './HostAccessSetting';
import { DeviceDeployments } from './DeviceDeployments';
import { testIds } from '../../test-ids';
import { screenWords } from '../../components/screen-words';

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Box
      component="dl"
      sx={{
        m: 0,
        display: 'grid',
        gridTemplateColumns: 'max-content 1fr',
        columnGap: 1.5,
        rowGap: 0.25,
        fontSize: 13,
        '& dt': { color: 'text.secondary' },
        '& dd': { m: 0, overflowWrap: 'anywhere' },
      }}
    >
      {rows.map(([k, v]) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Box>
      ))}
    </Box>
  );
}

function text(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (Array.isArray(v))
    return v.length
      ? v
          .map((x) => (typeof x === 'object' ? Object.values(x as object).join(' ') : String(x)))
          .join(', ')
      : 'none';
  return String(v);
}

/** How an SSH device is trusted and logged in to. */
function sshRows(device: DeviceView): [string, ReactNode][] {
  const c = device.connection;
  if (c.protocol !== 'ssh') return [];
  const key = c.sshHostKey ? hostKeyText(c.sshHostKey) : null;
  return [
    [
      'SSH host key',
      <span key="k" data-testid={testIds.devices.detailHostKey}>
        {key ? (
          <>
            <code>{key.key}</code> ({key.how})
          </>
        ) : (
          'not recorded (added by an older version): remove the device and add it again'
        )}
      </span>,
    ],
    ['SSH agent', c.sshAgent ? 'may log in to the device' : 'not used'],
  ];
}

/** One device: how it is reached, what the last probe learned, and what it could not. */
export function DeviceDetail({
  device,
  probe,
  onClose,
}: {
  device: DeviceView;
  /** The answer of a probe just made here, when newer than the list's. */
  probe: ProbeResult | undefined;
  onClose: () => void;
}) {
  const last = probe ?? device.lastProbe;
  const reach = reachabilityOf({ ...device, lastProbe: last });
  const facts = last?.facts;
  const props = last?.capabilities?.properties;
  const capLabels = last?.capabilities?.labels ?? {};
  const missing = notLearned(device.described);
  const { may } = useApp();
  return (
    <Box
      data-testid={testIds.devices.detail}
      data-device={device.name}
      role="region"
      aria-label={`Device ${device.name}`}
      sx={{ height: '100%', overflowY: 'auto', p: 1.5 }}
    >
      <DetailHeader onClose={onClose} closeTestId={testIds.devices.detailClose} align="center">
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          {device.name}
        </Typography>
        <ReportButton devices={[device.name]} testId={testIds.devices.report(device.name)} />
      </DetailHeader>
      <Typography variant="body2" sx={{ color: reach.color, fontWeight: 600 }}>
        {reach.word}
      </Typography>
      {last?.error && (
        <Typography
          variant="body2"
          color="text.secondary"
          data-testid={testIds.devices.detailError}
        >
          {screenWords(last.error.message)}
        </Typography>
      )}
      <Section title="Connection">
        <Facts
          rows={[
            ['Address', <code key="a">{device.connection.address}</code>],
            [
              'Security',
              device.connection.protocol === 'tcp'
                ? device.connection.secure
                  ? 'mutual TLS'
                  : 'plain TCP, unencrypted'
                : device.connection.protocol === 'ssh'
                  ? 'SSH'
                  : device.connection.protocol === 'margo'
                    ? 'its Margo client, with mutual TLS (it polls this laptop)'
                    : 'local socket',
            ],
            ...sshRows(device),
            ['Added', dateTime(device.addedAt)],
            [
              'Last seen',
              device.lastSeen
                ? `${timeAgo(device.lastSeen)} (${dateTime(device.lastSeen)})`
                : 'never',
            ],
            ['Last probe', last ? dateTime(last.probedAt) : 'never'],
          ]}
        />
      </Section>
      {facts && (
        <Section title="Docker Engine" testId={testIds.devices.detailFacts}>
          <Facts
            rows={[
              ['Architecture', facts.architecture],
              ['CPUs', String(facts.cpus)],
              ['Memory', formatBytes(facts.memoryBytes)],
              ['OS', `${facts.os} (${facts.osType}), kernel ${facts.kernelVersion}`],
              [
                'Engine',
                `${facts.serverVersion}, API ${facts.negotiatedApiVersion} (offers ${facts.apiVersion})`,
              ],
              ['Runtimes', `${facts.runtimes.join(', ')} (default ${facts.defaultRuntime})`],
              ['Storage driver', facts.storageDriver],
              ['Containers / images', `${facts.containers} / ${facts.images}`],
            ]}
          />
        </Section>
      )}
      <Section
        title="Capabilities (what compatibility checks use)"
        testId={testIds.devices.detailCapabilities}
      >
        {props ? (
          <Facts
            rows={[
              ['Vendor', text(props.vendor)],
              ['Model', text(props.modelNumber)],
              ['Serial number', text(props.serialNumber)],
              ['CPUs', text(props.cpus?.map((c) => `${c.cores} × ${c.architecture ?? '?'}`))],
              ['Memory', props.memory ? quantityWords(props.memory) : text(props.memory)],
              ['Storage', props.storage ? quantityWords(props.storage) : text(props.storage)],
              ['Peripherals', text(props.peripherals)],
              ['Interfaces', text(props.interfaces)],
              ['Runtimes', text(props.supportedRuntimes)],
              ['Deployment types', text(props.supportedDeploymentTypes)],
            ]}
          />
        ) : (
          <Typography variant="body2" color="text.secondary">
            No successful probe yet: probe the device to learn its architecture, CPUs, memory and
            runtimes.
          </Typography>
        )}
      </Section>
      <Section title="What the probe could not learn" testId={testIds.devices.detailUnknown}>
        {missing.length ? (
          <Typography variant="body2">
            {missing.join(', ')} — checks on these stay “unknown” until{' '}
            {may('devices.update') ? 'you describe them (Edit)' : 'an admin describes them'}.
          </Typography>
        ) : (
          <Typography variant="body2" color="text.secondary">
            Nothing: everything a profile may ask about is known.
          </Typography>
        )}
      </Section>
      {device.kind === 'docker' && (
        <Section title="Deployments on the device">
          <DeviceDeployments device={device.name} />
        </Section>
      )}
      <Section title="Access to the device itself">
        <HostAccessSetting device={device} />
      </Section>
      <Section title="Labels">
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          {Object.entries({ ...capLabels, ...device.labels }).map(([k, v]) => (
            <Chip
              key={k}
              label={`${k}=${Array.isArray(v) ? v.join(',') : String(v)}`}
              variant={k in device.labels ? 'filled' : 'outlined'}
              title={k in device.labels ? 'your label' : 'the daemon’s label'}
            />
          ))}
          {Object.keys(capLabels).length + Object.keys(device.labels).length === 0 && (
            <Typography variant="body2" color="text.secondary">
              none
            </Typography>
          )}
        </Box>
      </Section>
      {last && !last.reachable && last.error && (
        <Section title="Why the probe failed">
          <Typography variant="body2">
            {PROBE_ERROR_TEXT[last.error.kind]} ({last.error.kind})
          </Typography>
        </Section>
      )}
    </Box>
  );
}
