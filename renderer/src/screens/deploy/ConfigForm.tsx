import Box from '@mui/material/Box';
import type { IChangeEvent } from '@rjsf/core/lib/components/Form.js';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { memo, useCallback, useMemo, type RefObject } from 'react';
import { margoFormValidator } from '../../../../shared/configuration/margo-form-validator';
import type { Values } from '../../../../shared/contract/deploy';
import { asFormModel, type FormModelView } from './config-values';
import { markedValidator } from './form-marks';
import { FORM_TEMPLATES, type ConfigFormContext } from './form-templates';
import { CoreForm, muiTemplates, muiWidgets } from './rjsf-mui-theme';
import { testIds } from '../../test-ids';

/** rjsf's MUI theme with our field and section templates over it. */
const TEMPLATES = { ...muiTemplates<Values, ConfigFormContext>(), ...FORM_TEMPLATES };
const WIDGETS = muiWidgets<Values, RJSFSchema, ConfigFormContext>();

export type ConfigFormRef = RefObject<CoreForm<Values, RJSFSchema, ConfigFormContext> | null>;

/**
 * buildFormModel's uiSchema, adjusted for this screen: the help is the setting's description
 * only (where the value goes and why it is locked are drawn by the field template), locked
 * fields are disabled rather than read-only (they look like what they are), secrets are not
 * offered to password managers, and there is no submit button (the wizard has Next).
 */
function formUiSchema(model: FormModelView): UiSchema<Values, RJSFSchema, ConfigFormContext> {
  const ui: Record<string, unknown> = { ...model.uiSchema };
  for (const f of model.fields) {
    const own = { ...(model.uiSchema[f.parameter] as Record<string, unknown> | undefined) };
    delete own['ui:help'];
    if (f.setting.description) own['ui:help'] = f.setting.description;
    if (f.locked) own['ui:disabled'] = true;
    if (f.secret) own['ui:autocomplete'] = 'new-password';
    ui[f.parameter] = own;
  }
  ui['ui:submitButtonOptions'] = { norender: true };
  return ui as UiSchema<Values, RJSFSchema, ConfigFormContext>;
}

/**
 * The configuration form (react-jsonschema-form, MUI theme) with the Margo validator: every
 * change is validated at once (live validation) and errors show under their field
 * (`root_<parameter>__error`). The form holds its data itself (uncontrolled): the wizard
 * hears of each change through `onChange` but does not redraw, so a keystroke redraws one
 * field and the form's frame, whatever the form's size.
 */
export const ConfigForm = memo(function ConfigForm({
  model,
  initial,
  context,
  onChange,
  formRef,
}: {
  model: FormModelView;
  /** The values when the form opens (the form keeps its own from then on). */
  initial: Values;
  context: ConfigFormContext;
  onChange: (data: Values, errors: number) => void;
  formRef: ConfigFormRef;
}) {
  // Stable per model: rjsf rebuilds its schema utilities when the validator changes.
  const validator = useMemo(() => markedValidator(margoFormValidator(asFormModel(model))), [model]);
  const uiSchema = useMemo(() => formUiSchema(model), [model]);
  const schema = model.schema as RJSFSchema;
  const handleChange = useCallback(
    (event: IChangeEvent<Values, RJSFSchema, ConfigFormContext>) =>
      onChange(event.formData ?? {}, event.errors.length),
    [onChange],
  );
  return (
    <Box data-testid={testIds.deploy.form} data-device={context.device ?? ''}>
      <CoreForm<Values, RJSFSchema, ConfigFormContext>
        ref={formRef}
        schema={schema}
        uiSchema={uiSchema}
        validator={validator}
        initialFormData={initial}
        formContext={context}
        templates={TEMPLATES}
        widgets={WIDGETS}
        liveValidate="onChange"
        showErrorList={false}
        noHtml5Validate
        onChange={handleChange}
      />
    </Box>
  );
});
