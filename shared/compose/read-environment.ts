import { archivePath, siblingFile } from './archive-path';
import type { ComposeReport } from './compose-report';
import { parseEnvFile } from './env-file';
import { interpolate } from './interpolate';
import {
  shown,
  field,
  isMapping,
  readBool,
  readKeys,
  readName,
  readTextMap,
  setOwn,
  type Path,
} from './read-scalars';

export interface EnvironmentSources {
  variables: Readonly<Record<string, string>>;
  readFile: (relativePath: string) => string | undefined;
}

/**
 * A service's environment: its env files in order, then `environment:`, which wins.
 * `KEY` alone (a list item without `=`, a mapping key with no value, an env file line with
 * only the key) takes the deployment's variable of that name, and is left out when there is
 * none, as docker compose leaves out a variable the shell does not have.
 */
export function readEnvironment(
  r: ComposeReport,
  servicePath: Path,
  environment: unknown,
  envFile: unknown,
  sources: EnvironmentSources,
): Record<string, string> {
  const result: Record<string, string> = {};
  const fromDeployment = (key: string) =>
    Object.hasOwn(sources.variables, key) ? sources.variables[key] : undefined;
  if (envFile !== undefined && envFile !== null) {
    for (const file of envFileList(r, field(servicePath, 'env_file'), envFile)) {
      for (const [key, value] of Object.entries(readEnvFile(r, file, sources)))
        setOwn(result, key, value);
    }
  }
  if (environment !== undefined && environment !== null) {
    const map = readTextMap(r, field(servicePath, 'environment'), environment, 'environment');
    for (const [key, value] of map ?? []) {
      const resolved = value ?? fromDeployment(key);
      // A bare KEY the deployment does not set leaves an env file's value in place.
      if (resolved !== undefined) setOwn(result, key, resolved);
    }
  }
  return result;
}

interface EnvFileRef {
  path: Path;
  relative: string;
  required: boolean;
}

function envFileList(r: ComposeReport, path: Path, value: unknown): EnvFileRef[] {
  const items = Array.isArray(value)
    ? value.map((v, i) => [v, field(path, i)] as const)
    : [[value, path] as const];
  const refs: EnvFileRef[] = [];
  for (const [item, itemPath] of items) {
    let written: string | undefined;
    let required = true;
    if (isMapping(item)) {
      readKeys(
        r,
        itemPath,
        item,
        {
          path: (v, p) => (written = readName(r, p, v, 'the env file path')),
          required: (v, p) => (required = readBool(r, p, v, 'required') ?? true),
        },
        (key) => `${key} is not an env_file setting: use path and required`,
      );
      if (!('path' in item))
        r.problem(itemPath, 'an env_file entry needs path: the file, relative to compose.yaml');
    } else if (typeof item === 'string') {
      written = readName(r, itemPath, item, 'the env file path');
    } else {
      r.problem(
        itemPath,
        `env_file must be a file path, a list of them, or {path, required}, not ${shown(item)}`,
      );
    }
    if (written === undefined) continue;
    const relative = archivePath(written);
    if (!relative.ok) r.problem(itemPath, `env_file ${relative.message}`);
    else refs.push({ path: itemPath, relative: relative.path, required });
  }
  return refs;
}

function readEnvFile(
  r: ComposeReport,
  ref: EnvFileRef,
  sources: EnvironmentSources,
): Record<string, string> {
  const values: Record<string, string> = {};
  const text = sources.readFile(ref.relative);
  if (text === undefined) {
    if (ref.required) {
      r.problem(
        ref.path,
        `the env file ${ref.relative} is not in the application's files: add it to the compose archive, or mark it required: false`,
      );
    }
    return values;
  }
  const file = siblingFile(r.file, ref.relative);
  const parsed = parseEnvFile(text);
  for (const problem of parsed.problems) r.add('problem', { file, path: '', ...problem });
  // Like docker compose: a value may use keys defined above it in the same file, then the deployment's variables.
  const lookup = (name: string) =>
    Object.hasOwn(values, name)
      ? values[name]
      : Object.hasOwn(sources.variables, name)
        ? sources.variables[name]
        : undefined;
  for (const entry of parsed.entries) {
    const place = { file, path: '', line: entry.line, column: entry.column };
    if (entry.value === undefined) {
      const value = Object.hasOwn(sources.variables, entry.key)
        ? sources.variables[entry.key]
        : undefined;
      if (value !== undefined) setOwn(values, entry.key, value);
      continue;
    }
    if (!entry.interpolate) {
      setOwn(values, entry.key, entry.value);
      continue;
    }
    const result = interpolate(entry.value, lookup);
    for (const error of result.errors)
      r.add('problem', { ...place, message: `${entry.key}: ${error}` });
    for (const name of result.unset) {
      r.add('warning', {
        ...place,
        message: `the variable ${name} is not set: ${entry.key} gets an empty text in its place`,
      });
    }
    setOwn(values, entry.key, result.value);
  }
  return values;
}
