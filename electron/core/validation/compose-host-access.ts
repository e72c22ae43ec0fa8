import { lstatSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { reviewHostAccessPlaced } from '../../../shared/compose/host-access';
import { loadCompose } from '../../../shared/compose/load-compose';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { Component } from '../../../shared/margo/components';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { locateKey, locatePath } from '../../../shared/yaml/locate';
import { parseYaml } from '../../../shared/yaml/parse-yaml';
import { defaultVariables } from '../host-access/component-review';
import { readBounded } from './read-bounded';

/** A compose file as validate reads it: its text, and the archive's other files. */
export interface ComposeSource {
  text: string;
  /** How the file is named in diagnostics. */
  file: string;
  readFile(relativePath: string): string | undefined;
}

/**
 * What `validate` says about a component's compose file: each host-access finding as a
 * warning at file:line:column (with its own rule id, `critical:` or `elevated:` first), read
 * with the description's default values. A file that cannot be read with them is one
 * `compose-unreadable` warning: what it may do to a device is then not known.
 */
export function composeHostAccessDiagnostics(
  description: ApplicationDescription,
  component: Component,
  source: ComposeSource,
): Diagnostic[] {
  const loaded = loadCompose({
    text: source.text,
    file: source.file,
    variables: defaultVariables(description, component.name),
    readFile: (path) => source.readFile(path),
  });
  if (!loaded.ok) {
    const first = loaded.problems[0];
    return [
      {
        severity: 'warning',
        rule: 'compose-unreadable',
        message: `the compose file of component ${component.name} cannot be read with the default values, so what it may do to a device is not reviewed: ${first?.message ?? 'no details'}${loaded.problems.length > 1 ? ` (and ${loaded.problems.length - 1} more problems)` : ''}`,
        file: first?.file ?? source.file,
        line: first?.line ?? 1,
        column: first?.column ?? 1,
        path: first?.path ?? '',
      },
    ];
  }
  const placed = reviewHostAccessPlaced(loaded.model, component.name);
  if (placed.length === 0) return [];
  const parsed = parseYaml(source.text);
  return placed.map(({ finding, at }) => {
    // A finding about a whole service points at its name, as compose problems do.
    const offset = !parsed.doc
      ? 0
      : at.length === 2
        ? locateKey(parsed.doc, at)
        : locatePath(parsed.doc, at).offset;
    const position = parsed.lineCounter.linePos(offset);
    return {
      severity: 'warning',
      rule: finding.rule,
      message: `${finding.severity} host access: ${finding.message}`,
      file: source.file,
      line: Math.max(1, position.line),
      column: Math.max(1, position.col),
      path: finding.path,
    };
  });
}

/** Compose files are a few KiB; an env file or a config no more than this is read. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The compose components a package folder carries beside its description, each in a folder
 * named after the component (`<package>/<component>/compose.yaml`, as `kit pack --component`
 * takes them): reviewed as the kit made from them would be.
 */
export function packageComposeDiagnostics(
  dir: string,
  shownAs: string,
  description: ApplicationDescription,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const profile of description.deploymentProfiles) {
    if (profile.type !== 'compose') continue;
    for (const component of profile.components) {
      const folder = join(dir, component.name);
      const readFile = (path: string) => readRegularFile(folder, path);
      const text = readFile('compose.yaml');
      if (text === undefined) continue;
      diagnostics.push(
        ...composeHostAccessDiagnostics(description, component, {
          text,
          file: join(shownAs, component.name, 'compose.yaml'),
          readFile,
        }),
      );
    }
  }
  return dedupe(diagnostics);
}

/** A regular file inside `folder` (links and paths leaving it are not read), as UTF-8. */
function readRegularFile(folder: string, path: string): string | undefined {
  const full = join(folder, path);
  const inside = relative(folder, full);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep)) return undefined;
  try {
    if (!lstatSync(full).isFile()) return undefined;
    return Buffer.from(readBounded(full, MAX_FILE_BYTES)).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Profiles may share a component: its findings are said once. */
export function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.rule}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
