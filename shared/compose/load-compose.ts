import { formatJsonPath } from '../validation/json-path';
import { parseYaml } from '../yaml/parse-yaml';
import { SUPPORTED_TOP_LEVEL_KEYS, unsupportedTopLevelKey } from './compose-keys';
import type { ComposeModel, ComposeProblem, NetworkModel, ServiceModel } from './compose-model';
import { composeReport, type ComposeReport } from './compose-report';
import { crossCheck } from './cross-checks';
import { interpolate } from './interpolate';
import { shown, isMapping, setOwn, type Mapping, type Path } from './read-scalars';
import { readService } from './read-service';
import { readConfigs, readNetworks, readVolumes } from './read-top-level';

export type { ComposeProblem } from './compose-model';

export interface ComposeLoadInput {
  /** compose.yaml's text */
  text: string;
  /** Display name for messages, e.g. "monitor@1.2.0/compose.yaml" */
  file: string;
  /** Interpolation variables: the deployment's parameter values, already as strings. */
  variables: Readonly<Record<string, string>>;
  /** Files of the archive, by path relative to compose.yaml's folder, normalized ("conf/app.env"); undefined when absent. Text files (UTF-8). */
  readFile: (relativePath: string) => string | undefined;
}

export type ComposeLoadResult =
  | { ok: true; model: ComposeModel; warnings: ComposeProblem[] }
  | { ok: false; problems: ComposeProblem[]; warnings: ComposeProblem[] };

/** Larger compose files are refused unread: real ones are a few KiB, and parsing time grows faster than size. */
export const MAX_COMPOSE_CHARS = 256 * 1024;

/** The network every service without `networks:` joins; docker compose creates it as a bridge. */
export const DEFAULT_NETWORK: NetworkModel = {
  driver: 'bridge',
  driverOpts: {},
  external: false,
  internal: false,
  attachable: false,
  enableIpv6: false,
  labels: {},
};

/**
 * compose.yaml → the normalized model, or every problem that stops a deployment, each at
 * file:line:column. Order of work: YAML (hardened parse), top-level keys, interpolation of
 * every string value with the deployment's variables, then each section, then the checks
 * across sections. Nothing here throws on bad input: a problem is always the answer.
 */
export function loadCompose(input: ComposeLoadInput): ComposeLoadResult {
  if (input.text.length > MAX_COMPOSE_CHARS) {
    const problem = { file: input.file, line: 1, column: 1, path: '' };
    return {
      ok: false,
      problems: [
        {
          ...problem,
          message: `the compose file is larger than ${MAX_COMPOSE_CHARS / 1024} KiB: this is not a compose file an application needs (refused to protect the application)`,
        },
      ],
      warnings: [],
    };
  }
  const parsed = parseYaml(input.text);
  const r = composeReport(input.file, parsed.doc, parsed.lineCounter);
  for (const finding of parsed.findings) {
    const position = parsed.lineCounter.linePos(finding.offset ?? 0);
    r.add('problem', {
      file: input.file,
      line: Math.max(1, position.line),
      column: Math.max(1, position.col),
      path: formatJsonPath(finding.path),
      message: composeWording(finding.rule, finding.message),
    });
  }
  if (parsed.doc === null || !isMapping(parsed.value)) return refused(r);
  const root = parsed.value;

  for (const key of r.keysOf([], root)) {
    if (!SUPPORTED_TOP_LEVEL_KEYS.includes(key) && !key.startsWith('x-')) {
      r.problem([key], unsupportedTopLevelKey(key), { atKey: true });
    }
  }
  const document = interpolateDocument(r, root, input.variables);
  if (r.problems.length > 0) return refused(r);

  const services = document.services;
  if (services === undefined || services === null) {
    r.problem(
      [],
      'the compose file has no services: it needs a services: section with at least one service',
    );
    return refused(r);
  }
  if (!isMapping(services) || Object.keys(services).length === 0) {
    r.problem(
      ['services'],
      `services must be a mapping of service names to their settings, not ${shown(services)}`,
      { atKey: true },
    );
    return refused(r);
  }
  const model: ComposeModel = {
    services: [],
    networks: readNetworks(r, document.networks),
    volumes: readVolumes(r, document.volumes),
    configs: readConfigs(r, document.configs, input.readFile),
  };
  const sources = { variables: input.variables, readFile: input.readFile };
  for (const name of r.keysOf(['services'], services)) {
    const service = readService(r, name, services[name], sources);
    if (service) model.services.push(service);
  }
  crossCheck(r, model, services);
  if (usesDefaultNetwork(model.services) && !Object.hasOwn(model.networks, 'default')) {
    model.networks.default = { ...DEFAULT_NETWORK, driverOpts: {}, labels: {} };
  }
  if (r.problems.length > 0) return refused(r);
  return { ok: true, model, warnings: r.warnings };
}

function refused(r: ComposeReport): ComposeLoadResult {
  return { ok: false, problems: r.problems, warnings: r.warnings };
}

function usesDefaultNetwork(services: ServiceModel[]): boolean {
  return services.some((s) => s.networks.some((n) => n.name === 'default'));
}

/** The top-level sections whose values are read; the others are ignored or refused. */
const READ_SECTIONS = ['services', 'networks', 'volumes', 'configs'];

/** Keys whose values are never used, so their text is not interpolated (no warnings about them). */
function skipped(path: Path, key: string): boolean {
  if (path.length === 0) return !READ_SECTIONS.includes(key);
  return key.startsWith('x-') && path.length === 2 && path[0] === 'services';
}

/**
 * A copy of the document with every string value interpolated (keys are not). A copy, not
 * in place: YAML aliases share one object, and interpolating it twice would turn `$$` into
 * `$` and then read what follows as a variable.
 */
function interpolateDocument(
  r: ComposeReport,
  root: Mapping,
  variables: Readonly<Record<string, string>>,
): Mapping {
  const lookup = (name: string) => (Object.hasOwn(variables, name) ? variables[name] : undefined);
  const walk = (value: unknown, path: Path): unknown => {
    if (typeof value === 'string') {
      const result = interpolate(value, lookup);
      for (const error of result.errors) r.problem(path, error);
      for (const name of result.unset) {
        r.warning(
          path,
          `the variable ${name} is not set: ${formatJsonPath(path)} gets an empty text in its place (write \${${name}:-default} to give a default)`,
        );
      }
      return result.value;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (isMapping(value)) {
      const out: Mapping = {};
      for (const [key, item] of Object.entries(value)) {
        setOwn(out, key, skipped(path, key) ? item : walk(item, [...path, key]));
      }
      return out;
    }
    return value;
  };
  return walk(root, []) as Mapping;
}

/** The shared YAML messages speak of Margo documents; here the file is a compose file. */
function composeWording(rule: string, message: string): string {
  if (rule === 'yaml-not-mapping') {
    return 'the document is not a mapping of fields (key: value): a compose file starts with services:';
  }
  return message
    .replace(/a Margo document/g, 'a compose file')
    .replace(
      /a Margo file holds exactly one document/g,
      'a compose file holds exactly one document',
    );
}
