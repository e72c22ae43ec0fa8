import type { RJSFSchema, ValidatorType } from '@rjsf/utils';
import type { Values } from '../../../../shared/contract/deploy';

/**
 * `performance.mark`s the form benchmark reads: `form:validated` when a validation run of the
 * form ends, `form:rendered` once the form is drawn with its result. The detail carries how
 * many fields have errors, so a measurement can tell the run it waits for.
 */
export function markForm(name: 'form:validated' | 'form:rendered', errors: number): void {
  try {
    performance.mark(name, { detail: { errors } });
  } catch {
    // A page without the User Timing API (or with marks disabled) just is not measured.
  }
}

/**
 * The Margo validator, marking each run. rjsf calls `validateFormData` for every change it
 * validates (live validation: each keystroke), on the first draw and on submit; wrapping it
 * catches every path, whichever rjsf takes.
 */
export function markedValidator(
  validator: ValidatorType<Values, RJSFSchema>,
): ValidatorType<Values, RJSFSchema> {
  return {
    ...validator,
    validateFormData(...args) {
      const result = validator.validateFormData(...args);
      markForm('form:validated', Object.keys(result.errorSchema ?? {}).length);
      return result;
    },
  };
}
