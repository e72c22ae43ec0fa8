import { z } from 'zod';
import { Role } from './roles';

/** Account names: what a person types at the login page; also in audit entries. */
export const AccountName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'an account name is 1 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit',
  );

/** The shortest password accepted: a shared station's accounts guard deployments to the plant. */
export const MIN_PASSWORD_LENGTH = 10;
export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `a password has at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'a password has at most 1024 characters');

/** An account as shown: never its password or hash. */
export const AccountView = z.strictObject({
  name: z.string(),
  role: Role,
  createdAt: z.string(),
  passwordChangedAt: z.string(),
});
export type AccountView = z.infer<typeof AccountView>;

export const AddAccount = z.strictObject({ name: AccountName, role: Role, password: Password });
export type AddAccount = z.infer<typeof AddAccount>;

export const AccountRef = z.strictObject({ name: z.string() });

export const SetAccountPassword = z.strictObject({ name: z.string(), password: Password });

/** Who uses this window: null when the browser host runs without accounts (or in the desktop app). */
export const SessionView = z.strictObject({
  account: z.string().nullable(),
  role: Role.nullable(),
});
export type SessionView = z.infer<typeof SessionView>;
