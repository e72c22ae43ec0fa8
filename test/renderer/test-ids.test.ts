import { describe, expect, it } from 'vitest';
import { derived, idPart, testIds } from '../../renderer/src/test-ids';

describe('test ids', () => {
  it('turn each run of white space in a name into one underscore', () => {
    expect(idPart('Press line  2\tleft')).toBe('Press_line_2_left');
    expect(testIds.devices.row('Press line  2')).toBe('device-row-Press_line_2');
    expect(testIds.deploy.planItem('Press line', 'web server')).toBe(
      'deploy-plan-item-Press_line-web_server',
    );
    expect(testIds.compat.cell('com-example-a', 'gate way')).toBe(
      'compat-cell-com-example-a-gate_way',
    );
  });

  it('keep the documented strings', () => {
    expect(testIds.deployments.row('d1').startsWith(testIds.deployments.rowPrefix)).toBe(true);
    expect(derived.confirm(testIds.devices.removeDialog)).toBe('device-remove-dialog-confirm');
    expect(testIds.devices.dialogField(false, 'host')).toBe('device-add-host');
    expect(testIds.devices.dialogField(true, 'labels')).toBe('device-edit-labels');
    expect(testIds.imports.resultPart('invalid')).toBe('import-result-invalid');
    expect(testIds.deploy.step('review')).toBe('deploy-step-review');
    expect(testIds.shell.navTo('catalog')).toBe('nav-catalog');
  });
});
