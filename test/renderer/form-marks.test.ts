import { afterEach, describe, expect, it } from 'vitest';
import { margoFormValidator } from '../../shared/configuration/margo-form-validator';
import { asFormModel } from '../../renderer/src/screens/deploy/config-values';
import { markForm, markedValidator } from '../../renderer/src/screens/deploy/form-marks';
import { demoDeployForm, deviceChoice } from './support/demo-form';

function marks(name: string): { errors: number }[] {
  return performance
    .getEntriesByName(name)
    .map((e) => (e as PerformanceMark).detail as { errors: number });
}

afterEach(() => performance.clearMarks());

describe('form marks', () => {
  it('mark each validation run of the form with its number of fields in error', () => {
    const form = demoDeployForm({ devices: [deviceChoice('line-1')] });
    if (!form.form) throw new Error('no form');
    const validator = markedValidator(margoFormValidator(asFormModel(form.form)));
    const schema = form.form.schema;
    const ok = validator.validateFormData(
      { lineName: 'Press', pollSeconds: 30, port: 8088 },
      schema,
    );
    const bad = validator.validateFormData({ lineName: '', pollSeconds: 2, port: 8088 }, schema);
    expect(ok.errors).toHaveLength(0);
    expect(bad.errors.length).toBeGreaterThan(0);
    expect(marks('form:validated')).toEqual([{ errors: 0 }, { errors: 2 }]);
  });

  it('mark the form drawn', () => {
    markForm('form:rendered', 3);
    expect(marks('form:rendered')).toEqual([{ errors: 3 }]);
  });
});
