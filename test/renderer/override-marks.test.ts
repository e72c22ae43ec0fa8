import { describe, expect, it } from 'vitest';
import { OverrideMarks } from '../../renderer/src/screens/deploy/override-marks';

describe('override marks', () => {
  it('name, per parameter, the devices that have their own value, in order', () => {
    const marks = new OverrideMarks();
    marks.update({ 'line-2': { port: 1, lineName: 'B' }, 'line-1': { port: 2 } });
    expect(marks.devicesOf('port')).toBe('line-1, line-2');
    expect(marks.devicesOf('lineName')).toBe('line-2');
    expect(marks.devicesOf('pollSeconds')).toBe('');
  });

  it('tell their listeners of a real change only, and stop when unsubscribed', () => {
    const marks = new OverrideMarks();
    let heard = 0;
    const stop = marks.subscribe(() => heard++);
    marks.update({ 'line-1': { port: 1 } });
    expect(heard).toBe(1);
    // Another value for the same parameter and device: the marks are the same.
    marks.update({ 'line-1': { port: 99 } });
    expect(heard).toBe(1);
    marks.update({});
    expect(heard).toBe(2);
    expect(marks.devicesOf('port')).toBe('');
    stop();
    marks.update({ 'line-1': { port: 1 } });
    expect(heard).toBe(2);
  });
});
