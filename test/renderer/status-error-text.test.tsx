import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ComponentStates } from '../../renderer/src/components/ComponentStates';
import { StatusErrorText } from '../../renderer/src/components/StatusErrorText';
import { derived } from '../../renderer/src/test-ids';

/**
 * A failure is said in words; what the device said (codes included) is behind "Details"; and a
 * component's failure that the message above says already is not said again (issue 16).
 */
const said =
  'press-7 cut the connection while applying line-app: its Docker Engine stopped or restarted, or the network to it dropped. Check that press-7 is on and that Docker runs there, then deploy again: what was done is kept and the rest follows.';
const error = {
  code: 'device-unreachable',
  message: said,
  source: 'line-app',
  detail: 'ECONNRESET: read ECONNRESET',
};

describe('failure words', () => {
  it('show the sentence, and the raw error only behind Details', () => {
    render(<StatusErrorText error={error} testId="failure" />);
    expect(screen.getByTestId('failure').textContent).toContain(said);
    expect(screen.getByTestId('failure').textContent).not.toMatch(/E[A-Z]{3,}/);
    expect(screen.queryByTestId(derived.detailsText('failure'))).toBeNull();
    fireEvent.click(screen.getByTestId(derived.details('failure')));
    expect(screen.getByTestId(derived.detailsText('failure')).textContent).toContain(
      'ECONNRESET: read ECONNRESET',
    );
  });

  it('say a component failure once: not again under a message that says it', () => {
    const components = [
      { name: 'line-app', state: 'failed' as const, error, updatedAt: new Date().toISOString() },
    ];
    const { rerender, container } = render(
      <ComponentStates
        components={components}
        testIdOf={(name) => `c-${name}`}
        shown={[`Revision 3 failed, and the rollback to revision 2 could not run either: ${said}`]}
      />,
    );
    expect(container.textContent).not.toContain(said);
    expect(screen.getByTestId('c-line-app').getAttribute('data-state')).toBe('failed');
    rerender(<ComponentStates components={components} testIdOf={(name) => `c-${name}`} />);
    expect(container.textContent).toContain(said);
  });
});
