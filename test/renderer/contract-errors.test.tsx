import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ContractError } from '../../shared/contract/contract-error';
import { ErrorAlert } from '../../renderer/src/components/ErrorAlert';
import { errorDetailLines } from '../../renderer/src/components/error-details';
import { asContractError, checkedResult } from '../../renderer/src/transport/contract-check';
import { ContractFailure } from '../../renderer/src/transport/transport';
import { derived } from '../../renderer/src/test-ids';

function thrown(work: () => unknown): ContractError {
  try {
    work();
  } catch (e) {
    return asContractError(e);
  }
  throw new Error('nothing was thrown');
}

const invalidValues: ContractError = {
  name: 'invalid-values',
  message: 'Two values are refused: correct them and try again.',
  details: {
    errors: [
      {
        parameter: 'pollSeconds',
        setting: 'Poll interval',
        message: 'must be at least 5',
        source: 'values.yaml:3:16',
      },
      { parameter: 'lineName', message: 'must not be empty' },
    ],
  },
};

describe('errors that cross the contract', () => {
  it('come through as the core sent them, typed by name', () => {
    const error = thrown(() =>
      checkedResult('deployments.show', {
        ok: false,
        error: {
          name: 'device-busy',
          message: 'line-1 is busy with another deploy.',
          details: { device: 'line-1' },
        },
      }),
    );
    expect(error).toEqual({
      name: 'device-busy',
      message: 'line-1 is busy with another deploy.',
      details: { device: 'line-1' },
    });
  });

  it('are a protocol error when the answer is not the contract’s, keeping any words it had', () => {
    expect(thrown(() => checkedResult('app.info', 'hello')).name).toBe('protocol');
    const unknown = thrown(() =>
      checkedResult('deployments.show', {
        ok: false,
        error: { name: 'DeploymentNotFoundError', message: 'No deployment x.' },
      }),
    );
    expect(unknown).toMatchObject({ name: 'protocol', details: {} });
    expect(unknown.message).toMatch(/^No deployment x\. /);
    const shape = thrown(() => checkedResult('app.info', { ok: true, result: { version: 1 } }));
    expect(shape.name).toBe('protocol');
    expect(shape.message).toContain('app.info');
  });

  it('are internal when this window itself failed, without its raw cause', () => {
    const error = asContractError(
      new TypeError("Cannot read properties of undefined (reading 'x')"),
    );
    expect(error).toMatchObject({ name: 'internal', details: {} });
    expect(error.message).not.toContain('undefined');
    const failure = new ContractFailure(invalidValues);
    expect(asContractError(failure)).toBe(invalidValues);
  });
});

describe('the details a person reads', () => {
  it('name each refused value by its setting, and where it came from', () => {
    expect(errorDetailLines(invalidValues)).toEqual([
      'Poll interval: must be at least 5 (from values.yaml:3:16)',
      'lineName: must not be empty',
    ]);
  });

  it('place each finding of a document at its file, line and column', () => {
    const lines = errorDetailLines({
      name: 'invalid-document',
      message: 'The package has errors.',
      details: {
        diagnostics: [
          {
            severity: 'error',
            rule: 'id-pattern',
            message: 'not a valid id',
            file: 'margo.yaml',
            line: 3,
            column: 5,
            path: 'id',
          },
        ],
      },
    });
    expect(lines).toEqual(['margo.yaml:3:5 error [id-pattern] not a valid id']);
  });

  it('list the rules that refused, and say nothing more for errors whose message is all', () => {
    expect(
      errorDetailLines({
        name: 'refused',
        message: 'The kit is refused.',
        details: { reasons: ['a link', 'a device file'] },
      }),
    ).toEqual(['a link', 'a device file']);
    expect(
      errorDetailLines({
        name: 'device-busy',
        message: 'line-1 is busy.',
        details: { device: 'line-1' },
      }),
    ).toEqual([]);
  });

  it('are shown with the message, and the error’s name never is', () => {
    render(
      <ErrorAlert error={invalidValues} testId="plan-error" title="The plan could not be made" />,
    );
    const alert = screen.getByTestId('plan-error');
    expect(screen.getByTestId(derived.message('plan-error')).textContent).toBe(
      invalidValues.message,
    );
    expect(alert.textContent).toContain('Poll interval: must be at least 5');
    expect(alert.textContent).not.toContain('invalid-values');
  });
});
