import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorLogFile, setErrorLogDir } from '../../electron/core/errors/error-log';
import { toContractError } from '../../electron/core/errors/to-contract-error';
import {
  CommissionerError,
  ContractError,
  ERROR_DETAILS,
  isError,
} from '../../shared/contract/contract-error';

const logs = mkdtempSync(join(tmpdir(), 'commissioner-errors-'));
setErrorLogDir(logs);
afterAll(() => rmSync(logs, { recursive: true, force: true }));

/** What a person reads: no class names, no errno codes, no stack frames. */
const RAW = /\b[A-Z][A-Za-z]*Error\b|\bE[A-Z]{3,}\b|\bERR_[A-Z_]+\b|^\s+at /m;

describe('errors as the contract carries them', () => {
  it('a CommissionerError passes as it is, with its typed details', () => {
    const e = new CommissionerError('device-busy', 'device line-1 is busy: wait for it', {
      device: 'line-1',
    });
    const error = toContractError(e, 'deploying');
    expect(error).toEqual({
      name: 'device-busy',
      message: 'device line-1 is busy: wait for it',
      details: { device: 'line-1' },
    });
    expect(ContractError.parse(error)).toEqual(error);
    expect(isError(error, 'device-busy') && error.details.device).toBe('line-1');
  });

  it('a system error becomes plain words, and its code goes to the log only', () => {
    const raw = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      path: '/data/store/blobs/x',
    });
    const error = toContractError(raw, 'importing the kit');
    expect(error.name).toBe('storage');
    expect(error.message).toBe(
      'Importing the kit failed: the disk is full (writing /data/store/blobs/x): free some space and try again',
    );
    expect(error.message).not.toMatch(RAW);
    const logged = readFileSync(errorLogFile() as string, 'utf8');
    expect(logged).toContain('"code":"ENOSPC"');
    expect(logged).toContain('"context":"importing the kit"');
  });

  it('anything else is internal: what was being done, the cause without class names or codes', () => {
    const error = toContractError(new TypeError('sock.setTimeout is not a function'), 'probing');
    expect(error.name).toBe('internal');
    expect(error.message).toMatch(
      /^Probing failed unexpectedly: sock\.setTimeout is not a function\./,
    );
    expect(error.message).not.toMatch(RAW);
    const coded = toContractError(
      Object.assign(new Error('ECONNRESET: socket hang up (ECONNRESET)'), { code: 'ECONNRESET' }),
      'deploying to line-1',
    );
    expect(coded.name).toBe('network');
    expect(coded.message).toBe(
      'Deploying to line-1 failed: the connection was cut by the other side: try again; if it repeats, check the other side',
    );
    expect(coded.message).not.toMatch(RAW);
    expect(ContractError.safeParse(error).success).toBe(true);
  });

  it('every name of the enumeration has a details schema the contract checks', () => {
    for (const name of Object.keys(ERROR_DETAILS)) {
      expect(ContractError.safeParse({ name, message: 'x', details: {} }).success, name).toBe(
        [
          'not-found',
          'already-exists',
          'invalid-values',
          'invalid-document',
          'choose-profile',
          'device-busy',
          'device-unreachable',
          'refused',
          'forbidden',
          'invalid-request',
          'contract-violation',
        ].includes(name)
          ? false
          : true,
      );
    }
    expect(ContractError.safeParse({ name: 'DeviceBusyError', message: 'x' }).success).toBe(false);
  });
});
