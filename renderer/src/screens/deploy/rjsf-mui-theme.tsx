/*
 * react-jsonschema-form's MUI theme, put together from its modules. The entry points of
 * `@rjsf/core` and `@rjsf/mui` re-export `getTestRegistry`, which imports
 * `@rjsf/validator-ajv8`: that package is not installed (AJV compiles code at run time, which
 * the CSP forbids; the form uses the Margo validator), so the bundler cannot resolve those
 * entry points. Their modules are imported one by one instead (the packages export
 * `./lib/*.js`), and the three MUI templates that need the core's entry point (text input,
 * description, help) are written here, without the Markdown and examples we do not use.
 */
import FormHelperText from '@mui/material/FormHelperText';
import TextField from '@mui/material/TextField';
import CoreForm from '@rjsf/core/lib/components/Form.js';
import AddButton from '@rjsf/mui/lib/AddButton/AddButton.js';
import ArrayFieldItemTemplate from '@rjsf/mui/lib/ArrayFieldItemTemplate/ArrayFieldItemTemplate.js';
import ArrayFieldTemplate from '@rjsf/mui/lib/ArrayFieldTemplate/ArrayFieldTemplate.js';
import ErrorList from '@rjsf/mui/lib/ErrorList/ErrorList.js';
import FieldErrorTemplate from '@rjsf/mui/lib/FieldErrorTemplate/FieldErrorTemplate.js';
import FieldTemplate from '@rjsf/mui/lib/FieldTemplate/FieldTemplate.js';
import {
  ClearButton,
  CopyButton,
  MoveDownButton,
  MoveUpButton,
  RemoveButton,
} from '@rjsf/mui/lib/IconButton/IconButton.js';
import ObjectFieldTemplate from '@rjsf/mui/lib/ObjectFieldTemplate/ObjectFieldTemplate.js';
import SubmitButton from '@rjsf/mui/lib/SubmitButton/SubmitButton.js';
import TitleField from '@rjsf/mui/lib/TitleField/TitleField.js';
import { generateWidgets } from '@rjsf/mui/lib/Widgets/Widgets.js';
import WrapIfAdditionalTemplate from '@rjsf/mui/lib/WrapIfAdditionalTemplate/WrapIfAdditionalTemplate.js';
import {
  ariaDescribedByIds,
  getInputProps,
  helpId,
  labelValue,
  type BaseInputTemplateProps,
  type FieldHelpProps,
  type FormContextType,
  type RJSFSchema,
  type TemplatesType,
} from '@rjsf/utils';
import type { ChangeEvent, FocusEvent } from 'react';

/** A text, number or password input as MUI draws it (rjsf's MUI BaseInputTemplate). */
function BaseInputTemplate<T, F extends FormContextType>(
  props: BaseInputTemplateProps<T, RJSFSchema, F>,
) {
  const {
    id,
    htmlName,
    placeholder,
    required,
    readonly,
    disabled,
    type,
    label,
    hideLabel,
    value,
    onChange,
    onChangeOverride,
    onBlur,
    onFocus,
    autofocus,
    options,
    schema,
    rawErrors = [],
  } = props;
  const { step, min, max, accept, ...rest } = getInputProps<T, RJSFSchema, F>(
    schema,
    type,
    options,
  );
  const change = ({ target }: ChangeEvent<HTMLInputElement>) =>
    onChange(target.value === '' ? options.emptyValue : target.value);
  return (
    <TextField
      id={id}
      name={htmlName || id}
      placeholder={placeholder}
      label={labelValue(label || undefined, hideLabel, undefined)}
      autoFocus={autofocus}
      required={required}
      disabled={disabled || readonly}
      {...rest}
      slotProps={{ htmlInput: { step, min, max, accept } }}
      value={value || value === 0 ? value : ''}
      error={rawErrors.length > 0}
      onChange={onChangeOverride ?? change}
      onBlur={({ target }: FocusEvent<HTMLInputElement>) => onBlur(id, target.value)}
      onFocus={({ target }: FocusEvent<HTMLInputElement>) => onFocus(id, target.value)}
      aria-describedby={ariaDescribedByIds(id, false)}
    />
  );
}

/**
 * No description above the help: buildFormModel puts a setting's description both in the
 * JSON Schema and in the help, and the help (under the field's errors) is where it is read.
 */
function DescriptionField() {
  return null;
}

/** A field's help under it (`root_<parameter>__help`). */
function FieldHelpTemplate<T, F extends FormContextType>(props: FieldHelpProps<T, RJSFSchema, F>) {
  if (!props.help) return null;
  return (
    // Not red when the field has errors (the FormControl's error state): only the errors are.
    <FormHelperText
      component="div"
      error={false}
      id={helpId(props.fieldPathId)}
      sx={{ mt: 0.25, mx: 0 }}
    >
      {props.help}
    </FormHelperText>
  );
}

export function muiTemplates<T, F extends FormContextType>(): Partial<
  TemplatesType<T, RJSFSchema, F>
> {
  return {
    ArrayFieldItemTemplate,
    ArrayFieldTemplate,
    BaseInputTemplate,
    ButtonTemplates: {
      AddButton,
      CopyButton,
      MoveDownButton,
      MoveUpButton,
      RemoveButton,
      SubmitButton,
      ClearButton,
    },
    DescriptionFieldTemplate: DescriptionField,
    ErrorListTemplate: ErrorList,
    FieldErrorTemplate,
    FieldHelpTemplate,
    FieldTemplate,
    ObjectFieldTemplate,
    TitleFieldTemplate: TitleField,
    WrapIfAdditionalTemplate,
  };
}

export const muiWidgets = generateWidgets;
export { CoreForm };
