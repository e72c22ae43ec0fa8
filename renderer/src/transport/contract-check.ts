import type { z } from 'zod';
import { ContractError } from '../../../shared/contract/contract-error';
import {
  EVENTS,
  OPERATIONS,
  type OperationName,
  type ResponseOf,
} from '../../../shared/contract/operations';
import { ContractFailure, type ContractEvent } from './transport';
import { internalError, protocolError } from './transport-errors';

/** Answers too large to check cheaply on every call (apps × devices × checks). */
const UNCHECKED = new Set<OperationName>(['compat.matrix']);

/** What reload advice every protocol error ends with. */
const MISMATCH = 'the core and this window do not match (reload the window, or update the app)';

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`)
    .join('; ');
}

/** The error of a failed call; one the contract does not know keeps its words, if it has any. */
function failureOf(op: OperationName, error: unknown): ContractFailure {
  const parsed = ContractError.safeParse(error);
  if (parsed.success) return new ContractFailure(parsed.data);
  console.error(`Commissioner: the error of ${op} does not have the contract's shape`, error);
  const said =
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
      ? (error as { message: string }).message
      : null;
  return protocolError(
    said
      ? `${said} (The error came in a shape this window does not know: ${MISMATCH}.)`
      : `${op} failed, and the answer does not say why: ${MISMATCH}.`,
  );
}

/** An envelope's result, checked against the operation's response schema. */
export function checkedResult<N extends OperationName>(op: N, envelope: unknown): ResponseOf<N> {
  if (typeof envelope !== 'object' || envelope === null || !('ok' in envelope)) {
    throw protocolError(`The answer to ${op} is not a contract envelope: ${MISMATCH}.`);
  }
  if (envelope.ok !== true) throw failureOf(op, (envelope as { error?: unknown }).error);
  const result = (envelope as { result?: unknown }).result;
  if (UNCHECKED.has(op)) return result as ResponseOf<N>;
  const schema = OPERATIONS[op].response as z.ZodType;
  const parsed = schema.safeParse(result);
  if (!parsed.success) {
    console.error(
      `Commissioner: the answer to ${op} does not match the contract`,
      parsed.error.issues,
    );
    throw protocolError(
      `The answer to ${op} does not have the contract's shape (${describeIssues(parsed.error.issues)}): ${MISMATCH}.`,
    );
  }
  return parsed.data as ResponseOf<N>;
}

/** An event message, checked; null (and a console error) when it is not one of the contract's. */
export function checkedEvent(message: unknown): ContractEvent | null {
  if (typeof message !== 'object' || message === null) return null;
  const { event, payload } = message as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string' || !Object.hasOwn(EVENTS, event)) {
    console.warn('Commissioner: ignored an unknown event', event);
    return null;
  }
  const schema = EVENTS[event as keyof typeof EVENTS] as z.ZodType;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    console.error(
      `Commissioner: the event ${event} does not have the contract's shape:`,
      describeIssues(parsed.error.issues),
    );
    return null;
  }
  return { event, payload: parsed.data } as ContractEvent;
}

/**
 * Anything thrown, as the ContractError a screen shows. A failure of this window itself (a
 * bug, a file the browser could not read) is `internal`: its cause goes to the console, and
 * the person reads what to do.
 */
export function asContractError(error: unknown): ContractError {
  if (error instanceof ContractFailure) return error.error;
  console.error('Commissioner: an unexpected failure in this window', error);
  return internalError(
    'Something unexpected went wrong in this window. Try again; if it happens again, reload the window.',
  );
}
