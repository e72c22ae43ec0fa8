import LockIcon from '@mui/icons-material/LockOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import BaseField from '@rjsf/mui/lib/FieldTemplate/FieldTemplate.js';
import BaseObject from '@rjsf/mui/lib/ObjectFieldTemplate/ObjectFieldTemplate.js';
import {
  getUiOptions,
  type FieldTemplateProps,
  type ObjectFieldTemplateProps,
  type RJSFSchema,
} from '@rjsf/utils';
import { useLayoutEffect, useSyncExternalStore } from 'react';
import { MASK } from '../../../../shared/configuration/secret-heuristic';
import { describeTargets } from '../../../../shared/configuration/value-targets';
import type { Values } from '../../../../shared/contract/deploy';
import { whereShort, type FormFieldView } from './config-values';
import { markForm } from './form-marks';
import type { OverrideMarks } from './override-marks';
import { testIds } from '../../test-ids';

/** What the fields need beyond rjsf's props; stable per tab, so no field redraws for it. */
export interface ConfigFormContext {
  fields: ReadonlyMap<string, FormFieldView>;
  /** The device whose values the form shows; null: the values of all devices. */
  device: string | null;
  marks: OverrideMarks;
  /** Gives a device's field the shared value back (it stops being an override). */
  reset(parameter: string): void;
}

type FieldProps = FieldTemplateProps<Values, RJSFSchema, ConfigFormContext>;
type ObjectProps = ObjectFieldTemplateProps<Values, RJSFSchema, ConfigFormContext>;

/** Where the value goes, what locks it, whether this device has its own value. */
function FieldNotes({
  field,
  context,
  overriddenBy,
  value,
}: {
  field: FormFieldView;
  context: ConfigFormContext;
  overriddenBy: string;
  value: unknown;
}) {
  const where = whereShort(field);
  const own = context.device !== null && overriddenBy.split(', ').includes(context.device);
  return (
    <Box component="span" sx={{ display: 'flex', flexDirection: 'column', gap: 0.25, mt: 0.25 }}>
      {where && (
        <Box
          component="span"
          data-testid={testIds.deploy.fieldTargets(field.parameter)}
          title={`Goes to ${describeTargets(field.targets)}`}
          sx={{ fontFamily: 'monospace', fontSize: 12, color: 'text.secondary' }}
        >
          {where}
        </Box>
      )}
      {field.locked ? (
        <Box
          component="span"
          data-testid={testIds.deploy.fieldLocked(field.parameter)}
          sx={{ fontSize: 12, color: 'warning.main' }}
        >
          <LockIcon sx={{ fontSize: 14, verticalAlign: 'text-bottom', mr: 0.5 }} aria-hidden />
          Set when it was installed; it cannot change (immutable). To change it, remove the
          deployment and deploy again.
        </Box>
      ) : field.setting.immutable ? (
        <Box component="span" sx={{ fontSize: 12, color: 'text.secondary' }}>
          Cannot be changed once installed: choose it with care.
        </Box>
      ) : null}
      {field.secret && (
        <Box component="span" sx={{ fontSize: 12, color: 'text.secondary' }}>
          Secret: it is never shown again.
          {value === MASK ? ' Leave the dots to keep the current value.' : ''}
        </Box>
      )}
      {own ? (
        <Box component="span" sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <Box
            component="span"
            data-testid={testIds.deploy.fieldOverridden(field.parameter)}
            sx={{ fontSize: 12, color: 'info.main', fontWeight: 600 }}
          >
            ◆ Own value on {context.device}
          </Box>
          <Button
            size="small"
            onClick={() => context.reset(field.parameter)}
            data-testid={testIds.deploy.fieldReset(field.parameter)}
            sx={{ py: 0, minHeight: 0 }}
          >
            Use the value for all devices
          </Button>
        </Box>
      ) : context.device === null && overriddenBy ? (
        <Box component="span" sx={{ fontSize: 12, color: 'info.main' }}>
          ◆ {overriddenBy}{' '}
          {overriddenBy.includes(',')
            ? 'have their own values (see their tabs)'
            : 'has its own value (see its tab)'}
        </Box>
      ) : null}
    </Box>
  );
}

/**
 * The MUI field with our notes in its help slot (inside the field's FormControl, under its
 * errors). Only the form's own parameters get them; list items and the root do not.
 */
function MargoFieldTemplate(props: FieldProps) {
  const { fieldPathId, registry } = props;
  const context = registry.formContext;
  const parameter = fieldPathId.path.length === 1 ? String(fieldPathId.path[0]) : '';
  const field = parameter ? context.fields.get(parameter) : undefined;
  const overriddenBy = useSyncExternalStore(context.marks.subscribe, () =>
    context.marks.devicesOf(parameter),
  );
  if (!field) return <BaseField {...props} />;
  const own = context.device !== null && overriddenBy.split(', ').includes(context.device);
  return (
    <Box
      data-testid={testIds.deploy.field(parameter)}
      data-overridden={own ? 'true' : undefined}
      sx={own ? { borderLeft: 3, borderColor: 'info.main', pl: 1, ml: -1.375 } : undefined}
    >
      <BaseField
        {...props}
        help={
          <>
            {props.help}
            <FieldNotes
              field={field}
              context={context}
              overriddenBy={overriddenBy}
              value={props.formData}
            />
          </>
        }
      />
    </Box>
  );
}

interface Group {
  title: string;
  fields: string[];
}

function groupsOf(uiSchema: ObjectProps['uiSchema']): Group[] {
  const groups = getUiOptions(uiSchema).groups;
  return Array.isArray(groups) ? (groups as Group[]) : [];
}

/**
 * The whole form: one group per Margo configuration section (buildFormModel's
 * `ui:options.groups`). It is redrawn for every change rjsf makes (its data and errors are its
 * props), so its layout effect is where the form is known to be on screen with the latest
 * validation: the `form:rendered` mark.
 */
function RootSections(props: ObjectProps) {
  const errors = Object.keys(props.errorSchema ?? {}).filter((k) => k !== '__errors').length;
  useLayoutEffect(() => {
    markForm('form:rendered', errors);
  });
  const byName = new Map(props.properties.map((p) => [p.name, p]));
  const placed = new Set<string>();
  const sections = groupsOf(props.uiSchema).map((g) => {
    const items = g.fields.flatMap((name) => {
      const p = byName.get(name);
      if (!p || placed.has(name)) return [];
      placed.add(name);
      return [p];
    });
    return { title: g.title, items };
  });
  const rest = props.properties.filter((p) => !placed.has(p.name));
  if (rest.length) sections.push({ title: 'Other settings', items: rest });
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      {sections.map((s, i) => (
        <Box
          component="fieldset"
          key={`${s.title}-${i}`}
          data-testid={testIds.deploy.section(i)}
          sx={{
            m: 0,
            px: 1.5,
            pt: 0.5,
            pb: 1,
            border: 1,
            borderColor: 'divider',
            borderRadius: 1,
            minWidth: 0,
          }}
        >
          <Typography component="legend" variant="subtitle2" sx={{ px: 0.5 }}>
            {s.title || 'Settings'}
          </Typography>
          <Box
            sx={{
              display: 'grid',
              gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))',
              columnGap: 2,
              rowGap: 1.25,
              alignItems: 'start',
            }}
          >
            {s.items.map((p) =>
              p.hidden ? (
                p.content
              ) : (
                <Box key={p.name} sx={{ minWidth: 0 }}>
                  {p.content}
                </Box>
              ),
            )}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

function MargoObjectTemplate(props: ObjectProps) {
  return props.fieldPathId.path.length === 0 ? (
    <RootSections {...props} />
  ) : (
    <BaseObject {...props} />
  );
}

export const FORM_TEMPLATES = {
  FieldTemplate: MargoFieldTemplate,
  ObjectFieldTemplate: MargoObjectTemplate,
};
