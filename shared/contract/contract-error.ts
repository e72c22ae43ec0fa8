import { z } from 'zod';

/**
 * An error as it crosses the contract: data, not an exception, so nothing of it is lost on
 * the way (Electron rewrites rejected invokes and drops their fields). `name` says what kind
 * (`ValidationError`, `DeviceBusyError`, …), `message` is for the engineer, `details` carries
 * what a screen can show in place (diagnostics, refused values).
 */
export const ContractError = z.strictObject({
  name: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ContractError = z.infer<typeof ContractError>;

/** The answer to every call: its result, or the error that stopped it. */
export function envelope<T extends z.ZodType>(result: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), result }),
    z.strictObject({ ok: z.literal(false), error: ContractError }),
  ]);
}
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ContractError };
