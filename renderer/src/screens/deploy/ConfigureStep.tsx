import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import LinearProgress from '@mui/material/LinearProgress';
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, type Dispatch } from 'react';
import type { Values } from '../../../../shared/contract/deploy';
import { plural } from '../../format';
import type { ConfigFormRef } from './ConfigForm';
import { deviceValues, overridesOf, type ConfigState, type FormModelView } from './config-values';
import { ALL_DEVICES, type WizardAction } from './deploy-wizard-state';
import type { ConfigFormContext } from './form-templates';
import { OverrideMarks } from './override-marks';
import { testIds } from '../../test-ids';

// react-jsonschema-form is loaded when a form is first shown, not with the app's first page.
const ConfigForm = lazy(() => import('./ConfigForm').then((m) => ({ default: m.ConfigForm })));

/**
 * The Configure step: the form once for all chosen devices, and a tab per device where what
 * is changed becomes that device's own value (an override). Values live in `config` (the
 * wizard's, written in place as the engineer types); the wizard redraws only when a tab's
 * error count or a device's number of own values changes.
 */
export function ConfigureStep({
  model,
  devices,
  config,
  updatedFrom,
  tab,
  tabGeneration,
  errors,
  own,
  dispatch,
}: {
  model: FormModelView;
  devices: readonly string[];
  config: ConfigState;
  /** The device whose installed values the form started from (an update), if any. */
  updatedFrom: string | null;
  tab: string;
  tabGeneration: number;
  errors: number;
  own: Readonly<Record<string, number>>;
  dispatch: Dispatch<WizardAction>;
}) {
  const device = tab === ALL_DEVICES ? null : tab;
  const formRef: ConfigFormRef = useRef(null);
  const marks = useMemo(() => {
    const m = new OverrideMarks();
    m.update(config.overrides);
    return m;
  }, [config]);
  // What the wizard last heard, so a keystroke that changes no count tells it nothing.
  const reported = useRef({ errors, own });
  useEffect(() => {
    reported.current = { errors, own };
  }, [errors, own]);

  // The values this tab's form opens with: computed when the tab (or its generation) changes,
  // from `config` as it is then (it is mutable by design, so it is not what triggers this).
  const initial = useMemo(
    () => (device === null ? config.values : deviceValues(config, device)),
    [device, tabGeneration, config],
  );

  const onChange = useCallback(
    (data: Values, count: number) => {
      if (device === null) config.values = data;
      else {
        const changed = overridesOf(model, data, config.values);
        if (Object.keys(changed).length) config.overrides[device] = changed;
        else delete config.overrides[device];
      }
      marks.update(config.overrides);
      const last = reported.current;
      const ownChanged = devices.some(
        (d) => (last.own[d] ?? 0) !== Object.keys(config.overrides[d] ?? {}).length,
      );
      if (count !== last.errors || ownChanged) dispatch({ type: 'config-changed', errors: count });
    },
    [device, config, model, marks, devices, dispatch],
  );

  const reset = useCallback(
    (parameter: string) =>
      // rjsf types a field's value as the whole form's data type; it is one parameter's value.
      formRef.current?.setFieldValue([parameter], config.values[parameter] as Values),
    [config],
  );
  const context = useMemo<ConfigFormContext>(
    () => ({
      fields: new Map(model.fields.map((f) => [f.parameter, f])),
      device,
      marks,
      reset,
    }),
    [model, device, marks, reset],
  );

  return (
    <Box>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {devices.length > 1
          ? `These values go to all ${devices.length} chosen devices. On a device’s tab, what you change becomes that device’s own value.`
          : 'These are the values the application is deployed with.'}
        {updatedFrom &&
          ` This is an update: the form starts from the values installed on ${updatedFrom}.`}
      </Typography>
      {model.fields.length === 0 && (
        <Alert severity="info" sx={{ mb: 1 }}>
          This profile has nothing to configure: it is deployed as its supplier set it up.
        </Alert>
      )}
      {model.hidden.length > 0 && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
          {plural(model.hidden.length, 'parameter')} without a setting keep the supplier’s value:{' '}
          {model.hidden.map((h) => h.parameter).join(', ')}.
        </Typography>
      )}
      <Tabs
        value={tab}
        onChange={(_, value: string) => dispatch({ type: 'config-tab', tab: value })}
        variant="scrollable"
        scrollButtons="auto"
        aria-label="Whose values"
        sx={{ borderBottom: 1, borderColor: 'divider', mb: 1.5, minHeight: 36 }}
      >
        <Tab
          value={ALL_DEVICES}
          label="All devices"
          data-testid={testIds.deploy.valuesAll}
          sx={{ minHeight: 36, textTransform: 'none' }}
        />
        {devices.map((d) => (
          <Tab
            key={d}
            value={d}
            data-testid={testIds.deploy.values(d)}
            data-overrides={own[d] ?? 0}
            sx={{ minHeight: 36, textTransform: 'none' }}
            label={own[d] ? `${d} · ${plural(own[d], 'own value')}` : d}
          />
        ))}
      </Tabs>
      {device !== null && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}>
          <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
            {own[device]
              ? `${device} has ${plural(own[device], 'own value')} (marked ◆); the rest are the values for all devices.`
              : `${device} gets the values for all devices. Change a field here to give ${device} its own value.`}
          </Typography>
          {Boolean(own[device]) && (
            <Button
              onClick={() => dispatch({ type: 'config-reset-device' })}
              data-testid={testIds.deploy.valuesReset}
            >
              Use the values for all devices
            </Button>
          )}
        </Box>
      )}
      {model.fields.length > 0 && (
        <Suspense fallback={<LinearProgress aria-label="Loading the form" />}>
          <ConfigForm
            key={`${tab}:${tabGeneration}`}
            model={model}
            initial={initial}
            context={context}
            onChange={onChange}
            formRef={formRef}
          />
        </Suspense>
      )}
    </Box>
  );
}
