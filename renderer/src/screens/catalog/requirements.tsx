import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { z } from 'zod';
import {
  DeviceConstraints,
  type MatchExpression,
} from '../../../../shared/margo/device-constraints';
import { RequiredResources } from '../../../../shared/margo/resources';
import { quantityWords } from '../../format';

type Requirements = z.infer<typeof RequiredResources>;
type Capacity = NonNullable<z.infer<typeof DeviceConstraints>['capacityRequirements']>;

/** The profile of the rc.3 description held in `detail.document`. */
function documentProfile(document: unknown, profileId: string): Record<string, unknown> | null {
  if (!document || typeof document !== 'object') return null;
  const profiles = (document as { deploymentProfiles?: unknown }).deploymentProfiles;
  if (!Array.isArray(profiles)) return null;
  const found = profiles.find(
    (p: unknown) => p && typeof p === 'object' && (p as { id?: unknown }).id === profileId,
  ) as Record<string, unknown> | undefined;
  return found ?? null;
}

function resourceLines(r: Capacity & Pick<Requirements, 'peripherals' | 'interfaces'>): string[] {
  const lines: string[] = [];
  if (r.cpu) {
    const arch = r.cpu.architectures?.length ? `, ${r.cpu.architectures.join(' or ')}` : '';
    lines.push(`CPU: ${r.cpu.cores} core${r.cpu.cores === 1 ? '' : 's'}${arch}`);
  }
  if (r.memory) lines.push(`Memory: ${quantityWords(r.memory)}`);
  if (r.storage) lines.push(`Storage: ${quantityWords(r.storage)}`);
  if (r.peripherals?.length) {
    lines.push(
      `Peripherals: ${r.peripherals
        .map((p) => [p.type, p.manufacturer, p.model].filter(Boolean).join(' '))
        .join(', ')}`,
    );
  }
  if (r.interfaces?.length) {
    lines.push(`Interfaces: ${r.interfaces.map((i) => i.type).join(', ')}`);
  }
  return lines;
}

function expressionText(e: MatchExpression): string {
  const values = e.values?.length ? ` [${e.values.map((v) => JSON.stringify(v)).join(', ')}]` : '';
  const inner = e.itemSelector
    ? ` where ${e.itemSelector.matchExpressions.map(expressionText).join(' and ')}`
    : '';
  return `${e.key} ${e.operator}${values}${inner}`;
}

function Lines({ lines }: { lines: string[] }) {
  return (
    <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: 13 }}>
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </Box>
  );
}

/** What a profile asks of a device: rc.3 deviceConstraints and the legacy requiredResources. */
export function ProfileRequirements({
  document,
  profileId,
  testId,
}: {
  document: unknown;
  profileId: string;
  testId?: string;
}) {
  const profile = documentProfile(document, profileId);
  const rr = profile?.requiredResources;
  const dc = profile?.deviceConstraints;
  if (rr === undefined && dc === undefined) {
    return (
      <Typography variant="body2" color="text.secondary" data-testid={testId}>
        No requirements stated: the profile runs wherever its deployment type does.
      </Typography>
    );
  }
  const legacy = rr === undefined ? null : RequiredResources.safeParse(rr);
  const constraints = dc === undefined ? null : DeviceConstraints.safeParse(dc);
  return (
    <Box data-testid={testId}>
      {constraints && (
        <Box sx={{ mb: 0.5 }}>
          <Typography variant="caption" color="text.secondary">
            Device constraints (rc.3)
          </Typography>
          {constraints.success ? (
            <Lines
              lines={[
                ...(constraints.data.capacityRequirements
                  ? resourceLines(constraints.data.capacityRequirements)
                  : []),
                ...(constraints.data.eligibilityRules ?? []).map((rule, i) => {
                  const parts = [
                    ...(rule.propertySelector?.matchExpressions ?? []).map(
                      (e) => `property ${expressionText(e)}`,
                    ),
                    ...(rule.labelSelector?.matchExpressions ?? []).map(
                      (e) => `label ${expressionText(e)}`,
                    ),
                  ];
                  return `${i === 0 ? 'Eligible when' : 'or when'} ${parts.join(' and ') || 'always'}`;
                }),
              ]}
            />
          ) : (
            <Box component="pre" sx={{ fontSize: 12, m: 0 }}>
              {JSON.stringify(dc, null, 2)}
            </Box>
          )}
        </Box>
      )}
      {legacy && (
        <Box>
          <Typography variant="caption" color="text.secondary">
            Required resources (before rc.3)
          </Typography>
          {legacy.success ? (
            <Lines lines={resourceLines(legacy.data)} />
          ) : (
            <Box component="pre" sx={{ fontSize: 12, m: 0 }}>
              {JSON.stringify(rr, null, 2)}
            </Box>
          )}
        </Box>
      )}
    </Box>
  );
}
