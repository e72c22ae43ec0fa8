import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../shared/validation/rules';
import { REPO_ROOT } from '../support/run-cli';

describe('docs/validation-rules.md', () => {
  it('lists every rule with its severity, and no rule that does not exist', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/validation-rules.md'), 'utf8');
    const rows = [...doc.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|\s*(error|warning)\s*\|/gm)].map(
      (m) => [m[1], m[2]],
    );
    expect(rows).toEqual(Object.entries(RULES).map(([id, r]) => [id, r.severity]));
  });
});
