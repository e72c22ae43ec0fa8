import type { z } from 'zod';
import { ContractError } from '../../../shared/contract/contract-error';
import {
  EVENTS,
  OPERATIONS,
  type OperationName,
  type ResponseOf,
} from '../../../shared/contract/operations';
import { ContractFailure, type ContractEvent } from './transport';

/** Answers too large to check cheaply on every call (apps × devices × checks). */
const UNCHECKED = new Set<OperationName>(['compat.matrix']);

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`)
    .join('; ');
}

/** An envelope's result, checked against the operation's response schema. */
export function checkedResult<N extends OperationName>(op: N, envelope: unknown): ResponseOf<N> {
  if (typeof envelope !== 'object' || envelope === null || !('ok' in envelope)) {
    throw new ContractFailure({
      name: 'ProtocolError',
      message: `The answer to ${op} is not a contract envelope: the core and this window do not match (reload the window, or update the app).`,
    });
  }
  if (envelope.ok !== true) {
    const error = ContractError.safeParse((envelope as { error?: unknown }).error);
    throw new ContractFailure(
      error.success
        ? error.data
        : { name: 'ProtocolError', message: `${op} failed without saying why.` },
    );
  }
  const result = (envelope as { result?: unknown }).result;
  if (UNCHECKED.has(op)) return result as ResponseOf<N>;
  const schema = OPERATIONS[op].response as z.ZodType;
  const parsed = schema.safeParse(result);
  if (!parsed.success) {
    throw new ContractFailure({
      name: 'ProtocolError',
      message: `The answer to ${op} does not have the contract's shape (${describeIssues(parsed.error.issues)}): the core and this window do not match.`,
      details: parsed.error.issues,
    });
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

/** Anything thrown, as the ContractError a screen shows. */
export function asContractError(error: unknown): ContractError {
  if (error instanceof ContractFailure) return error.error;
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
