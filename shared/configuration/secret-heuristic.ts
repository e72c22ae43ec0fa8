import type { Parameter } from '../margo/application-description';
import type { Setting } from '../margo/configuration';

const SECRET_WORDS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'key',
  'apikey',
  'credential',
  'credentials',
];

/** Words of an identifier or label: `idpClientSecret` → idp, client, secret; `API key` → api, key. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Whether a parameter holds a secret. The spec has no secret type yet, so: a parameter whose
 * x-…-extensions say `sensitive: true` (or `secret: true`), or whose name or setting label has
 * password, secret, token or key as a word (`adminPassword`, `API key`, `auth_token`; not
 * `monkey` or `keyboardLayout`). Secrets are masked everywhere but in the deployment itself.
 */
export function isSecretParameter(
  name: string,
  parameter: Parameter | undefined,
  setting?: Setting,
): boolean {
  for (const [key, value] of Object.entries(parameter ?? {})) {
    if (!/^x-[a-z][a-z0-9-]*-extensions$/.test(key) || value === null || typeof value !== 'object')
      continue;
    const flags = value as Record<string, unknown>;
    if (flags.sensitive === true || flags.secret === true) return true;
  }
  return [name, setting?.name ?? ''].some((text) =>
    words(text).some(
      (w) => SECRET_WORDS.includes(w) || w.includes('password') || w.includes('secret'),
    ),
  );
}

export const MASK = '••••••••';
