import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunchOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { CompatibilityRow, Verdict } from '../../../../shared/compatibility/verdict';
import { AppAvatar } from '../../components/AppAvatar';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DetailHeader } from '../../components/DetailHeader';
import { DiagnosticList } from '../../components/DiagnosticList';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MarkdownText } from '../../components/MarkdownText';
import { CheckList, VerdictChip, notPassed } from '../../components/verdict';
import { dateTime, formatBytes } from '../../format';
import { useApp } from '../../state/app-state';
import { deployRoute } from '../../state/route';
import { useQuery } from '../../state/use-query';
import { ProfileRequirements } from './requirements';
import { Section } from '../../components/Section';
import { HostAccessList } from '../../components/HostAccessList';
import { SignatureList } from '../../components/SignatureList';
import { hostAccessSummary } from '../../../../shared/compose/host-access';
import { SupplierContent } from '../../components/SupplierContent';
import { testIds } from '../../test-ids';

/** Section titles a package's own first heading often repeats (shown once). */
const RELEASE_NOTES = ['Release notes', 'Changelog', 'Change log'];
const LICENSE = ['License', 'Licence'];

const RANK: Record<Verdict, number> = { compatible: 2, unknown: 1, incompatible: 0 };

function CompatibilityByDevice({ rows }: { rows: CompatibilityRow[] }) {
  const { navigate } = useApp();
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary" data-testid={testIds.app.compatNone}>
        No devices yet: add one under{' '}
        <Link component="button" onClick={() => navigate({ screen: 'devices', params: {} })}>
          Devices
        </Link>{' '}
        to see where this app runs.
      </Typography>
    );
  }
  const devices = [...new Set(rows.map((r) => r.device))];
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      {devices.map((device) => {
        const profiles = rows.filter((r) => r.device === device);
        const best = profiles.reduce<Verdict>(
          (b, r) => (RANK[r.verdict] > RANK[b] ? r.verdict : b),
          'incompatible',
        );
        return (
          <Box
            key={device}
            data-testid={testIds.app.compatDevice(device)}
            data-verdict={best}
            sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1 }}
          >
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
              <Typography variant="body2" sx={{ fontWeight: 600, flex: 1 }}>
                {device}
              </Typography>
              <VerdictChip verdict={best} />
            </Box>
            {profiles.map((r) => {
              const why = notPassed(r.checks);
              return (
                <Box key={r.profile} sx={{ mt: 0.5 }}>
                  <Typography variant="caption" color="text.secondary">
                    profile {r.profile}: {r.verdict}
                  </Typography>
                  {why.length > 0 && <CheckList checks={why} />}
                </Box>
              );
            })}
          </Box>
        );
      })}
    </Box>
  );
}

/** One application version in full, beside the catalog list. */
export function AppDetailPane({
  appId,
  version,
  onVersion,
  onClose,
}: {
  appId: string;
  version: string | undefined;
  onVersion: (version: string | undefined) => void;
  onClose: () => void;
}) {
  const { transport, navigate, may } = useApp();
  const [removing, setRemoving] = useState(false);
  // Another version keeps the one shown until it is in, so the pane does not blink.
  const {
    data: view,
    error,
    loading,
    reload: load,
  } = useQuery('catalog.show', version ? { id: appId, version } : { id: appId }, {
    refreshOn: ['catalog', 'devices', 'trust'],
    keepPrevious: true,
  });

  const detail = view?.detail.id === appId ? view.detail : null;
  // Commissioner deploys compose profiles; an app with none cannot be deployed from here.
  const deployable = detail?.profiles.some((p) => p.type === 'compose') ?? false;

  const header = (
    <Box sx={{ p: 1.5, pb: 1 }}>
      <DetailHeader onClose={onClose} closeTestId={testIds.app.close}>
        <AppAvatar
          id={appId}
          name={detail?.name ?? appId}
          icon={detail ? view?.icon : null}
          size={56}
        />
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <SupplierContent resetKey={detail?.ref}>
            <Typography
              variant="h6"
              component="h2"
              data-testid={testIds.app.name}
              sx={{ lineHeight: 1.3 }}
            >
              {detail?.name ?? appId}
            </Typography>
            {detail && (
              <>
                <Typography variant="body2" color="text.secondary">
                  {detail.organization}
                </Typography>
                {detail.tagline && <Typography variant="body2">{detail.tagline}</Typography>}
              </>
            )}
          </SupplierContent>
        </Box>
      </DetailHeader>
    </Box>
  );

  return (
    <Box
      data-testid={testIds.app.detail}
      data-app-id={appId}
      data-version={detail?.version ?? ''}
      role="region"
      aria-label={`Application ${detail?.name ?? appId}`}
      sx={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}
    >
      {header}
      {loading && <LinearProgress sx={{ height: 2 }} />}
      {error && (
        <Box sx={{ px: 1.5 }}>
          <ErrorAlert error={error} testId={testIds.app.error} />
        </Box>
      )}
      {detail && view && (
        <Box sx={{ flex: 1, overflowY: 'auto', px: 1.5, pb: 2 }}>
          <Box
            sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 1, pt: 1 }}
          >
            <TextField
              select
              label="Version"
              value={detail.version}
              onChange={(e) =>
                onVersion(e.target.value === detail.latestVersion ? undefined : e.target.value)
              }
              slotProps={{
                select: { native: true },
                htmlInput: { 'data-testid': testIds.app.version },
              }}
              sx={{ minWidth: 140 }}
            >
              {detail.versions.map((v) => (
                <option key={v} value={v}>
                  {v}
                  {v === detail.latestVersion ? ' (latest)' : ''}
                </option>
              ))}
            </TextField>
            {may('deploy.start') && (
              <Tooltip
                title={
                  deployable
                    ? `Choose devices, configure and deploy ${detail.name} ${detail.version}`
                    : 'Commissioner deploys compose profiles; this version has none'
                }
              >
                <span>
                  <Button
                    variant="contained"
                    startIcon={<RocketLaunchIcon />}
                    disabled={!deployable}
                    onClick={() =>
                      navigate(deployRoute({ app: detail.id, version: detail.version }))
                    }
                    data-testid={testIds.app.deploy}
                  >
                    Deploy…
                  </Button>
                </span>
              </Tooltip>
            )}
            <Box sx={{ flex: 1 }} />
            {may('catalog.remove') && (
              <Button
                color="error"
                variant="outlined"
                startIcon={<DeleteOutlineIcon />}
                onClick={() => setRemoving(true)}
                data-testid={testIds.app.remove}
              >
                Remove version {detail.version}
              </Button>
            )}
          </Box>
          <SupplierContent resetKey={detail.ref}>
            <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
              {detail.tags.map((t) => (
                <Chip key={t} label={t} />
              ))}
            </Box>
            {detail.site && (
              <Typography variant="body2" sx={{ mt: 0.5 }}>
                Site:{' '}
                {transport.host === 'browser' && /^https?:\/\//.test(detail.site) ? (
                  <Link href={detail.site} target="_blank" rel="noopener noreferrer">
                    {detail.site}
                  </Link>
                ) : (
                  <Box component="span" sx={{ userSelect: 'all' }}>
                    {detail.site}
                  </Box>
                )}
              </Typography>
            )}
          </SupplierContent>

          {view.hostAccess.some((h) => h.findings.length > 0 || h.unreviewed.length > 0) && (
            <SupplierContent resetKey={detail.ref}>
              <Section title="Needs host access" testId={testIds.app.hostAccess}>
                {view.hostAccess.map((h) =>
                  h.findings.length === 0 && h.unreviewed.length === 0 ? null : (
                    <Box
                      key={h.profile}
                      data-testid={testIds.app.hostAccessProfile(h.profile)}
                      sx={{ mb: 1 }}
                    >
                      <Typography variant="body2" sx={{ fontWeight: 600 }}>
                        Profile {h.profile}
                        {h.findings.length > 0 ? `: ${hostAccessSummary(h.findings)}` : ''}
                      </Typography>
                      {h.findings.length > 0 && <HostAccessList findings={h.findings} />}
                      {h.unreviewed.map((note) => (
                        <Typography key={note} variant="body2" color="text.secondary">
                          {note}
                        </Typography>
                      ))}
                    </Box>
                  ),
                )}
                <Typography variant="caption" color="text.secondary" component="div">
                  Read from the compose files with the default values. A deployment lists what its
                  own values give, and asks you to allow it.
                </Typography>
              </Section>
              <Divider />
            </SupplierContent>
          )}
          {view.signatures && (
            <>
              <Section title="Signatures" testId={testIds.app.signatures} fromPackage={detail.ref}>
                {view.signatures.length > 0 ? (
                  <SignatureList signatures={view.signatures} testId={testIds.app.signature} />
                ) : (
                  <Typography variant="body2" color="text.secondary">
                    No signature results are recorded for this version.
                  </Typography>
                )}
              </Section>
              <Divider />
            </>
          )}
          <Section title="Compatibility" testId={testIds.app.compat}>
            <CompatibilityByDevice rows={view.compatibility} />
          </Section>
          <Divider />
          <Section title="Description" testId={testIds.app.description} fromPackage={detail.ref}>
            {view.description ? (
              <MarkdownText
                text={view.description}
                host={transport.host}
                under={[detail.name, 'Description']}
              />
            ) : detail.description ? (
              <Typography variant="body2">{detail.description}</Typography>
            ) : (
              <Typography variant="body2" color="text.secondary">
                The package has no description.
              </Typography>
            )}
          </Section>
          <Divider />
          <Section
            title="Deployment profiles"
            testId={testIds.app.profiles}
            fromPackage={detail.ref}
          >
            {detail.profiles.map((p) => (
              <Box key={p.id} data-testid={testIds.app.profile(p.id)} sx={{ mb: 1.5 }}>
                <Typography variant="body2">
                  <Box component="span" sx={{ fontWeight: 600 }}>
                    {p.id}
                  </Box>{' '}
                  <Chip label={p.type} color="primary" variant="outlined" sx={{ height: 20 }} />
                </Typography>
                {p.description && (
                  <Typography variant="body2" color="text.secondary">
                    {p.description}
                  </Typography>
                )}
                <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: 13 }}>
                  {p.components.map((c) => (
                    <li key={c.name}>
                      <Box component="span" sx={{ fontWeight: 600 }}>
                        {c.name}
                      </Box>
                      {': '}
                      {c.repository ? (
                        <Box component="span" sx={{ fontFamily: 'monospace', fontSize: 12 }}>
                          {c.repository}
                          {c.revision ? ` @ ${c.revision}` : ''}
                        </Box>
                      ) : c.packageLocation ? (
                        <>
                          <Box component="span" sx={{ fontFamily: 'monospace', fontSize: 12 }}>
                            {c.packageLocation}
                          </Box>{' '}
                          <Box component="span" sx={{ color: 'warning.main' }}>
                            (legacy packageLocation)
                          </Box>
                        </>
                      ) : (
                        'no location given'
                      )}
                    </li>
                  ))}
                </Box>
                <Typography
                  variant="caption"
                  color="text.secondary"
                  component="div"
                  sx={{ mt: 0.5 }}
                >
                  Requirements
                </Typography>
                <ProfileRequirements
                  document={detail.document}
                  profileId={p.id}
                  testId={testIds.app.requirements(p.id)}
                />
              </Box>
            ))}
          </Section>
          {view.releaseNotes && (
            <>
              <Divider />
              <Section
                title="Release notes"
                testId={testIds.app.releaseNotes}
                fromPackage={detail.ref}
              >
                <MarkdownText
                  text={view.releaseNotes}
                  host={transport.host}
                  under={RELEASE_NOTES}
                />
              </Section>
            </>
          )}
          {view.license && (
            <>
              <Divider />
              <Section title="License" testId={testIds.app.license} fromPackage={detail.ref}>
                <MarkdownText text={view.license} host={transport.host} under={LICENSE} />
              </Section>
            </>
          )}
          <Divider />
          <Section
            title="Validation findings"
            testId={testIds.app.findings}
            fromPackage={detail.ref}
          >
            {view.findings.length ? (
              <DiagnosticList diagnostics={view.findings} />
            ) : (
              <Typography variant="body2" color="text.secondary">
                The validator found nothing to report for this version.
              </Typography>
            )}
          </Section>
          <Divider />
          <Section title="Package" testId={testIds.app.package} fromPackage={detail.ref}>
            <Box
              component="dl"
              sx={{
                m: 0,
                display: 'grid',
                gridTemplateColumns: 'max-content 1fr',
                columnGap: 1.5,
                fontSize: 12,
                '& dt': { color: 'text.secondary' },
                '& dd': { m: 0, overflowWrap: 'anywhere', fontFamily: 'monospace' },
              }}
            >
              <dt>Reference</dt>
              <dd>{detail.ref}</dd>
              <dt>Imported from</dt>
              <dd>{detail.source}</dd>
              <dt>Imported</dt>
              <dd>{dateTime(detail.importedAt)}</dd>
              <dt>Manifest</dt>
              <dd>{detail.manifestDigest}</dd>
              {detail.resources.map((r) => (
                <Box key={r.path} sx={{ display: 'contents' }}>
                  <dt>{r.kind ?? 'file'}</dt>
                  <dd>
                    {r.path} ({formatBytes(r.size)})
                  </dd>
                </Box>
              ))}
            </Box>
          </Section>
        </Box>
      )}
      {!detail && !loading && !error && (
        <EmptyState title="Nothing to show">This application is not in the catalog.</EmptyState>
      )}
      {detail && (
        <ConfirmDialog
          open={removing}
          title={`Remove ${detail.name} ${detail.version}?`}
          confirmLabel="Remove version"
          testId={testIds.app.removeDialog}
          onClose={() => setRemoving(false)}
          onConfirm={async () => {
            await transport.call('catalog.remove', { id: detail.id, version: detail.version });
            const others = detail.versions.filter((v) => v !== detail.version);
            if (others.length === 0) onClose();
            else {
              onVersion(undefined);
              load();
            }
          }}
        >
          <Typography variant="body2">
            The version {detail.version} of {detail.name} leaves the catalog, with the package files
            nothing else uses. Components and images stay. To get it back, import its kit again.
          </Typography>
        </ConfirmDialog>
      )}
    </Box>
  );
}
