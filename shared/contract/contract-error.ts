import { z } from 'zod';
import { Diagnostic } from '../validation/diagnostic';
import { Role } from './roles';

/** What a `not-found` or `already-exists` error is about. */
export const Thing = z.enum([
  'application',
  'profile',
  'device',
  'deployment',
  'revision',
  'file',
  'client',
  'job',
  'operation',
  'trust-entry',
  'trust-policy',
  'account',
]);
export type Thing = z.infer<typeof Thing>;

/** A refused configuration value, naming its parameter (and the setting the form shows). */
export const ValueProblem = z.strictObject({
  parameter: z.string(),
  setting: z.string().optional(),
  message: z.string(),
  /** Where the value came from (`values.yaml:3:16`, `--set x`), when it came from a file or flag. */
  source: z.string().optional(),
});
export type ValueProblem = z.infer<typeof ValueProblem>;

const Issue = z.strictObject({ path: z.string(), message: z.string() });

/**
 * Every error that crosses the contract, by name, with the shape of its `details`. Names are
 * words, not class names: a screen matches on them (never on the message), and a person reads
 * only the message — one plain sentence of what happened and what to do. Raw causes (errno
 * codes, stack traces) go to the log, never here.
 */
export const ERROR_DETAILS = {
  /** The request does not have the contract's shape (a bug in the caller, or a stale window). */
  'invalid-request': z.strictObject({ issues: z.array(Issue) }),
  /** The core's answer does not have the contract's shape (a bug in the core). */
  'contract-violation': z.strictObject({ operation: z.string() }),
  /** The window and the core do not speak the same contract (reload, or update the app). */
  protocol: z.strictObject({}),
  /** The core cannot be reached from this window (the browser host stopped, the link dropped). */
  disconnected: z.strictObject({}),
  'not-found': z.strictObject({ thing: Thing, name: z.string() }),
  'already-exists': z.strictObject({ thing: Thing, name: z.string() }),
  /** Something the engineer typed or chose is wrong; `field` names it when one field is at fault. */
  'invalid-input': z.strictObject({ field: z.string().optional() }),
  /** Configuration values refused by the application's rules. */
  'invalid-values': z.strictObject({ errors: z.array(ValueProblem) }),
  /** A Margo document or package with errors, each at its file:line:column. */
  'invalid-document': z.strictObject({ diagnostics: z.array(Diagnostic) }),
  /** The application has several profiles that fit: the engineer chooses. */
  'choose-profile': z.strictObject({ profiles: z.array(z.string()) }),
  /** Another operation holds the device (this laptop or another process). */
  'device-busy': z.strictObject({ device: z.string() }),
  /** The device did not answer. */
  'device-unreachable': z.strictObject({ device: z.string() }),
  /** What was asked cannot be done here (logs of a Margo device, a file dialog in a browser). */
  'not-supported': z.strictObject({}),
  /**
   * The account using this window may not do this: `role` is its role, `needs` the least role
   * the operation asks for (the browser host with named accounts).
   */
  forbidden: z.strictObject({ operation: z.string(), role: Role, needs: Role }),
  /** Refused by a rule (a kit that breaks the archive rules, a rollback with nowhere to go). */
  refused: z.strictObject({ reasons: z.array(z.string()) }),
  /** Something changed between the review and the action: review again. */
  changed: z.strictObject({}),
  /** Reading or writing a file or folder failed. */
  storage: z.strictObject({ path: z.string().optional() }),
  /** A connection failed (refused, cut, timed out, no route) where no device is to blame. */
  network: z.strictObject({}),
  /** Anything unexpected: the message says what was being done; the cause is in the log. */
  internal: z.strictObject({}),
} as const;

export type ErrorName = keyof typeof ERROR_DETAILS;
export const ErrorName = z.enum(Object.keys(ERROR_DETAILS) as [ErrorName, ...ErrorName[]]);
export type ErrorDetails<N extends ErrorName> = z.infer<(typeof ERROR_DETAILS)[N]>;

function errorOf<N extends ErrorName>(name: N) {
  return z.strictObject({
    name: z.literal(name),
    message: z.string(),
    details: ERROR_DETAILS[name] as (typeof ERROR_DETAILS)[N],
  });
}

/**
 * An error as it crosses the contract: data, not an exception, so nothing of it is lost on
 * the way (Electron rewrites rejected invokes and drops their fields).
 */
export const ContractError: z.ZodType<ContractError> = z.discriminatedUnion(
  'name',
  (Object.keys(ERROR_DETAILS) as ErrorName[]).map(errorOf) as unknown as [
    ReturnType<typeof errorOf<ErrorName>>,
    ...ReturnType<typeof errorOf<ErrorName>>[],
  ],
) as unknown as z.ZodType<ContractError>;
export type ContractErrorOf<N extends ErrorName> = {
  name: N;
  message: string;
  details: ErrorDetails<N>;
};
export type ContractError = { [N in ErrorName]: ContractErrorOf<N> }[ErrorName];

/** Narrows an error to one name, so its details are typed. */
export function isError<N extends ErrorName>(
  error: ContractError | null | undefined,
  name: N,
): error is Extract<ContractError, { name: N }> {
  return error?.name === name;
}

/**
 * The one error class of the core. Services throw it (or a subclass that fixes the name)
 * with a sentence for people; every face turns it into a ContractError with `toContract`.
 */
export class CommissionerError<N extends ErrorName = ErrorName> extends Error {
  override readonly name: N;
  readonly details: ErrorDetails<N>;
  constructor(name: N, message: string, details: ErrorDetails<N>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
    this.details = details;
  }

  toContract(): ContractErrorOf<N> {
    return { name: this.name, message: this.message, details: this.details };
  }

  /** The error again as an exception (an answer carried it; now it stops this call too). */
  static fromContract(error: ContractError): CommissionerError {
    return new CommissionerError(error.name, error.message, error.details as never);
  }
}

/** `new CommissionerError('not-found', …)` for the common case. */
export function notFound(
  thing: Thing,
  name: string,
  message: string,
): CommissionerError<'not-found'> {
  return new CommissionerError('not-found', message, { thing, name });
}

/** The answer to every call: its result, or the error that stopped it. */
export function envelope<T extends z.ZodType>(result: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), result }),
    z.strictObject({ ok: z.literal(false), error: ContractError }),
  ]);
}
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ContractError };
