import { createHash } from 'node:crypto';
import type http from 'node:http';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { sharedReference, whenReference } from './shared-reference';

/**
 * The Margo Conformance Test Toolkit's WFM-supplier scenario data (`wfm-supplier-core.json`,
 * see SOURCE.md beside it), read where it is at test time: `shared/margo-ctt`, or
 * MARGO_CTT_DIR. Third-party data, never copied into the repository.
 */
export const CTT = sharedReference({
  folder: 'margo-ctt',
  marker: 'SOURCE.md',
  env: 'MARGO_CTT_DIR',
  what: "the Margo Conformance Test Toolkit's scenarios",
});

// Every operation the data may name, and every key a step may have: the schemas are strict,
// so a toolkit version that adds one fails the suite by name instead of being half-run.
const Operation = z.enum([
  'exists',
  'is_string',
  'is_number',
  'is_array',
  'not_empty',
  'equals',
  'contains',
  'not_contains',
  'array_length_gte',
  'array_length_equals',
  'one_of',
  'matches_regex',
  'greater_than',
  'etag_is_body_digest',
  'body_sha256_equals',
  'has_application_description_layer',
  'layer_media_types_are_margo_specific',
  'bundle_null_when_no_deployments',
  'bundle_media_type',
]);

const Validation = z.strictObject({
  field: z.string().optional(),
  operation: Operation,
  value: z.unknown().optional(),
});
export type CttValidation = z.infer<typeof Validation>;

const StepBase = {
  id: z.string().min(1),
  name: z.string(),
  crIds: z.array(z.string()).optional(),
  expected_status: z.number().int(),
  accepted_statuses: z.array(z.number().int()).optional(),
  validations: z.array(Validation).default([]),
  extract_context: z.record(z.string(), z.string()).default({}),
};

const HttpStep = z.strictObject({
  ...StepBase,
  method: z.enum(['GET', 'PUT', 'POST', 'DELETE']),
  endpoint: z.string().startsWith('/'),
  /** false: no client certificate. Absent: as true (rc.3 knows no other transport). */
  mtls: z.boolean().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  request_body: z.unknown().optional(),
  poll: z
    .strictObject({
      interval_seconds: z.number().positive(),
      timeout_seconds: z.number().positive(),
      until: z.array(Validation).min(1),
    })
    .optional(),
  /** `refreshed`: present a newly issued SVID of the same client. */
  svid_source: z.literal('refreshed').optional(),
  /** The passing outcome is a failed handshake or connection, not an HTTP status. */
  expect_transport_error: z.boolean().optional(),
});

/** An Application Registry check (`oras` in the toolkit): OCI Distribution requests. */
const RegistryStep = z.strictObject({
  ...StepBase,
  oras: z.strictObject({
    cmd: z.enum(['manifest', 'blobs', 'tags', 'tags_raw']),
    ref: z.string().optional(),
  }),
  endpoint: z.null(),
});

export const CttStep = z.union([HttpStep, RegistryStep]);
export type CttStep = z.infer<typeof CttStep>;
export type CttHttpStep = z.infer<typeof HttpStep>;

export const CttScenario = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  crIds: z.array(z.string()).optional(),
  description: z.string(),
  steps: z.array(CttStep).min(1),
});
export type CttScenario = z.infer<typeof CttScenario>;

/** The scenarios as the toolkit ships them (every one, in their order). */
export const CTT_SCENARIOS: CttScenario[] = whenReference(CTT, () =>
  z.array(CttScenario).parse(JSON.parse(readFileSync(CTT.path('wfm-supplier-core.json'), 'utf8'))),
);

/** Who a request presents itself as: the client's SVID, a refreshed one, or no certificate. */
export type CttIdentity = 'client' | 'refreshed' | 'none';

export type CttAnswer =
  { status: number; headers: http.IncomingHttpHeaders; body: Buffer } | { transportError: string };

/** What the steps run against, and the operator who does what a step asks of a person. */
export interface CttEndpoint {
  request(request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: Buffer;
    identity: CttIdentity;
  }): Promise<CttAnswer>;
  /** The Application Registry reference of the `oras` steps: `<host:port>/<name>:<tag>`. */
  registryRef: string;
  /** Operator actions by step id: a polling step calls its action once, at its first miss. */
  operator: Record<string, () => Promise<void>>;
}

/** A response as the validations address it: JSON fields, `_headers`, `_body`. */
export interface ResponseSource {
  [field: string]: unknown;
  _headers: http.IncomingHttpHeaders;
  _body: string;
  _bytes: Buffer;
}

export interface StepOutcome {
  /** HTTP status; 0 when the exchange failed (then `transportError` says how). */
  status: number;
  transportError?: string;
  /** Why the step fails as the toolkit judges it; empty when it passes. */
  failures: string[];
  response: ResponseSource;
  /** What the step sent, after substitution. */
  sent: { method: string; path: string; headers: Record<string, string>; body?: unknown };
  /** Context values the step extracted (only when it passed). */
  extracted: Record<string, unknown>;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE_PLACEHOLDER = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * `{name}` placeholders replaced by what earlier steps of the scenario extracted. A string
 * that is one placeholder alone becomes the value itself, type kept (`"{manifestVersion}"` in
 * a body stays a number, as the scenario means it). A placeholder nothing extracted is an
 * error of the scenario, not an empty string.
 */
export function substitute(
  value: unknown,
  context: Record<string, unknown>,
  stepId: string,
): unknown {
  const lookup = (name: string): unknown => {
    if (!(name in context))
      throw new Error(
        `step ${stepId} uses {${name}}, which no earlier step of its scenario extracted`,
      );
    return context[name];
  };
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    if (whole) return lookup(whole[1] as string);
    return value.replace(PLACEHOLDER, (_, name: string) => String(lookup(name)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, context, stepId));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, context, stepId)]),
    );
  return value;
}

/** A dot path into a response: `bundle.digest`, `deployments.0.digest`, `_headers.etag`. */
export function fieldOf(source: ResponseSource, field: string): unknown {
  if (field === '_body') return source._body;
  let current: unknown = source;
  let inHeaders = false;
  for (const part of field.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (part === '_headers' && !inHeaders) {
      current = source._headers;
      inHeaders = true;
      continue;
    }
    if (inHeaders) {
      // Header names are case-insensitive; Node gives them in lower case.
      current = (current as Record<string, unknown>)[part.toLowerCase()];
      continue;
    }
    current =
      Array.isArray(current) && /^\d+$/.test(part)
        ? current[Number(part)]
        : (current as Record<string, unknown>)[part];
  }
  return current;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** One validation: '' when it holds, else why not. */
export function validate(
  source: ResponseSource,
  v: CttValidation,
  context: Record<string, unknown>,
  stepId: string,
): string {
  const field = v.field ?? '(response)';
  const actual = v.field === undefined ? undefined : fieldOf(source, v.field);
  // A regex's own braces ({64}) are not placeholders: the pattern is taken as written.
  const expected = v.operation === 'matches_regex' ? v.value : substitute(v.value, context, stepId);
  const show = (x: unknown) => JSON.stringify(x);
  switch (v.operation) {
    case 'exists':
      return actual !== undefined && actual !== null ? '' : `${field} is missing`;
    case 'is_string':
      return typeof actual === 'string' ? '' : `${field} is not a string`;
    case 'is_number':
      return typeof actual === 'number' ? '' : `${field} is not a number`;
    case 'is_array':
      return Array.isArray(actual) ? '' : `${field} is not an array`;
    case 'not_empty':
      return actual !== undefined && actual !== null && String(actual).length > 0
        ? ''
        : `${field} is empty`;
    case 'equals':
      return actual === expected ? '' : `${field} is ${show(actual)}, expected ${show(expected)}`;
    case 'contains':
      return String(actual ?? '').includes(String(expected))
        ? ''
        : `${field} does not contain ${show(expected)}`;
    case 'not_contains':
      return String(actual ?? '').includes(String(expected))
        ? `${field} contains ${show(expected)} (${show(actual)})`
        : '';
    case 'array_length_gte':
      return Array.isArray(actual) && actual.length >= Number(expected)
        ? ''
        : `${field} has ${Array.isArray(actual) ? actual.length : 'no'} items, expected at least ${show(expected)}`;
    case 'array_length_equals':
      return Array.isArray(actual) && actual.length === Number(expected)
        ? ''
        : `${field} has ${Array.isArray(actual) ? actual.length : 'no'} items, expected ${show(expected)}`;
    case 'one_of':
      return Array.isArray(expected) && expected.includes(actual)
        ? ''
        : `${field} is ${show(actual)}, expected one of ${show(expected)}`;
    case 'matches_regex':
      return new RegExp(String(expected)).test(String(actual ?? ''))
        ? ''
        : `${field} ${show(actual)} does not match ${String(expected)}`;
    case 'greater_than':
      return Number(actual) > Number(expected)
        ? ''
        : `${field} is ${show(actual)}, expected > ${show(expected)}`;
    case 'etag_is_body_digest': {
      // MI-015: the ETag is the quoted sha256 digest of the exact bytes served.
      const etag = fieldOf(source, '_headers.etag');
      if (typeof etag !== 'string') return 'no ETag';
      const bare = etag.replace(/^W\//, '').replace(/^"|"$/g, '');
      const digest = `sha256:${sha256(source._bytes)}`;
      return bare === digest ? '' : `ETag ${etag} is not the body's digest ${digest}`;
    }
    case 'body_sha256_equals': {
      // MI-025: the bytes served are the ones the manifest's digest names.
      const want = String(expected ?? '')
        .replace(/^sha256:/, '')
        .toLowerCase();
      if (!want) return `${field}: no digest to compare with`;
      const got = sha256(source._bytes);
      return got === want ? '' : `the body's sha256 is ${got}, the manifest says ${want}`;
    }
    case 'has_application_description_layer': {
      const layers = (fieldOf(source, 'layers') ?? []) as { mediaType?: string }[];
      return layers.some((l) => l.mediaType === 'application/vnd.margo.app.description.v1+yaml')
        ? ''
        : 'no layer is the Application Description (application/vnd.margo.app.description.v1+yaml)';
    }
    case 'layer_media_types_are_margo_specific': {
      const layers = (fieldOf(source, 'layers') ?? []) as {
        mediaType?: string;
        digest?: string;
      }[];
      const generic = layers.filter(
        (l) => !String(l.mediaType ?? '').startsWith('application/vnd.margo.app.'),
      );
      return generic.length === 0
        ? ''
        : `layers with a media type that is not Margo's: ${generic.map((l) => `${l.digest} ${l.mediaType}`).join(', ')}`;
    }
    case 'bundle_null_when_no_deployments': {
      // MI-009: with no deployments, `bundle` is present and null (not left out).
      const deployments = fieldOf(source, 'deployments');
      if (!Array.isArray(deployments) || deployments.length > 0) return '';
      return fieldOf(source, 'bundle') === null
        ? ''
        : 'bundle must be present and null without deployments';
    }
    case 'bundle_media_type': {
      // MI-031; nothing to check on a manifest without a bundle.
      const bundle = fieldOf(source, 'bundle') as { mediaType?: string } | null | undefined;
      if (bundle === null || bundle === undefined) return '';
      return bundle.mediaType === 'application/vnd.margo.bundle.v1+tar+gzip'
        ? ''
        : `bundle.mediaType is ${show(bundle.mediaType)}`;
    }
  }
}

function responseSource(headers: http.IncomingHttpHeaders, bytes: Buffer): ResponseSource {
  const text = bytes.toString('utf8');
  let fields: Record<string, unknown> = {};
  if (text.length > 0) {
    try {
      const parsed: unknown = JSON.parse(text);
      fields =
        parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
          ? (parsed as Record<string, unknown>)
          : {};
    } catch {
      fields = {};
    }
  }
  return { ...fields, _headers: headers, _body: text, _bytes: bytes };
}

const NO_RESPONSE = responseSource({}, Buffer.alloc(0));

async function performHttp(
  step: CttHttpStep,
  context: Record<string, unknown>,
  endpoint: CttEndpoint,
): Promise<{ answer: CttAnswer; sent: StepOutcome['sent'] }> {
  const path = String(substitute(step.endpoint, context, step.id));
  const headers = substitute(step.headers, context, step.id) as Record<string, string>;
  const body =
    step.request_body === undefined ? undefined : substitute(step.request_body, context, step.id);
  const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const sentHeaders =
    bytes && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
      ? { ...headers, 'Content-Type': 'application/json' }
      : headers;
  const identity: CttIdentity =
    step.mtls === false ? 'none' : step.svid_source === 'refreshed' ? 'refreshed' : 'client';
  const answer = await endpoint.request({
    method: step.method,
    path,
    headers: sentHeaders,
    ...(bytes ? { body: bytes } : {}),
    identity,
  });
  return {
    answer,
    sent: {
      method: step.method,
      path,
      headers: sentHeaders,
      ...(body === undefined ? {} : { body }),
    },
  };
}

const OCI_MANIFEST_ACCEPT =
  'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

/**
 * What the toolkit's `oras` commands ask of the registry, as the OCI Distribution requests
 * they make: `manifest fetch` (GET manifests/<tag>), `blob fetch` of every layer (GET
 * blobs/<digest>, digest checked), `repo tags` (GET tags/list, tags only) and the raw tag list.
 */
async function performRegistry(
  step: z.infer<typeof RegistryStep>,
  context: Record<string, unknown>,
  endpoint: CttEndpoint,
): Promise<{ answer: CttAnswer; sent: StepOutcome['sent'] }> {
  const ref = step.oras.ref
    ? String(substitute(step.oras.ref, context, step.id))
    : endpoint.registryRef;
  const m = /^([^/]+)\/(.+):([^:/]+)$/.exec(ref);
  if (!m) throw new Error(`step ${step.id}: ${ref} is not <host>/<name>:<tag>`);
  const [, , name, tag] = m as unknown as [string, string, string, string];
  const get = (path: string, headers: Record<string, string> = {}) =>
    endpoint.request({ method: 'GET', path, headers, identity: 'client' });
  const sent = {
    method: 'GET',
    path: `/v2/${name}/manifests/${tag}`,
    headers: { Accept: OCI_MANIFEST_ACCEPT },
  };
  const failed = (what: string, answer: CttAnswer): CttAnswer =>
    'transportError' in answer
      ? answer
      : {
          transportError: `${what}: HTTP ${answer.status} ${answer.body.toString().slice(0, 200)}`,
        };
  const json = (value: unknown): CttAnswer => ({
    status: 200,
    headers: {},
    body: Buffer.from(JSON.stringify(value)),
  });

  if (step.oras.cmd === 'tags_raw') {
    const path = `/v2/${name}/tags/list`;
    return { answer: await get(path), sent: { method: 'GET', path, headers: {} } };
  }
  if (step.oras.cmd === 'tags') {
    const path = `/v2/${name}/tags/list`;
    const answer = await get(path);
    if ('transportError' in answer || answer.status !== 200)
      return { answer: failed('repo tags', answer), sent: { method: 'GET', path, headers: {} } };
    const tags = (JSON.parse(answer.body.toString()) as { tags?: string[] }).tags ?? [];
    return { answer: json({ tags }), sent: { method: 'GET', path, headers: {} } };
  }
  const manifest = await get(sent.path, sent.headers);
  if ('transportError' in manifest || manifest.status !== 200)
    return { answer: failed('manifest fetch', manifest), sent };
  if (step.oras.cmd === 'manifest')
    return { answer: { status: 200, headers: {}, body: manifest.body }, sent };
  const layers =
    (JSON.parse(manifest.body.toString()) as { layers?: { digest: string }[] }).layers ?? [];
  const failedDigests: string[] = [];
  for (const layer of layers) {
    const blob = await get(`/v2/${name}/blobs/${layer.digest}`);
    const ok =
      !('transportError' in blob) &&
      blob.status === 200 &&
      `sha256:${sha256(blob.body)}` === layer.digest;
    if (!ok) failedDigests.push(layer.digest);
  }
  return { answer: json({ layerCount: layers.length, failedDigests }), sent };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one step as the toolkit does: the request (repeated while a `poll` waits for its
 * `until`, the operator acting at the first miss), the status against `expected_status` or
 * `accepted_statuses`, the validations (only on the expected status), and the context values
 * it extracts for later steps (only when it passed). `pollEveryMs` caps the poll interval:
 * the toolkit's pace leaves a person time to act; here the operator is the test.
 */
export async function runStep(
  step: CttStep,
  context: Record<string, unknown>,
  endpoint: CttEndpoint,
  options: { pollEveryMs?: number } = {},
): Promise<StepOutcome> {
  const perform = () =>
    'oras' in step
      ? performRegistry(step, context, endpoint)
      : performHttp(step, context, endpoint);
  const failures: string[] = [];
  let { answer, sent } = await perform();
  const poll = 'oras' in step ? undefined : step.poll;
  if (poll) {
    const deadline = Date.now() + poll.timeout_seconds * 1000;
    let asked = false;
    for (;;) {
      const got = answer;
      const missed =
        'transportError' in got
          ? [got.transportError]
          : got.status !== step.expected_status
            ? [`HTTP ${got.status}`]
            : poll.until
                .map((v) => validate(responseSource(got.headers, got.body), v, context, step.id))
                .filter(Boolean);
      if (missed.length === 0) break;
      if (Date.now() >= deadline) {
        failures.push(`the poll timed out after ${poll.timeout_seconds} s (${missed.join('; ')})`);
        break;
      }
      if (!asked) {
        const act = endpoint.operator[step.id];
        if (!act)
          throw new Error(
            `step ${step.id} waits for an operator ("${step.name}"): give it an action`,
          );
        asked = true;
        await act();
      }
      await sleep(Math.min(poll.interval_seconds * 1000, options.pollEveryMs ?? 500));
      ({ answer, sent } = await perform());
    }
  }
  if ('transportError' in answer) {
    if ('oras' in step || !step.expect_transport_error)
      failures.push(`no HTTP answer: ${answer.transportError}`);
    const { transportError } = answer;
    return { status: 0, transportError, failures, response: NO_RESPONSE, sent, extracted: {} };
  }
  const response = responseSource(answer.headers, answer.body);
  if (!('oras' in step) && step.expect_transport_error) {
    failures.push(`expected the connection to be refused, got HTTP ${answer.status}`);
    return { status: answer.status, failures, response, sent, extracted: {} };
  }
  const primary = answer.status === step.expected_status;
  if (!primary && !(step.accepted_statuses ?? []).includes(answer.status))
    failures.push(
      `expected HTTP ${step.expected_status}, got ${answer.status}: ${response._body.slice(0, 300)}`,
    );
  // On an accepted other status the body is another kind of answer: its checks do not apply.
  if (primary)
    failures.push(
      ...step.validations.map((v) => validate(response, v, context, step.id)).filter(Boolean),
    );
  const extracted: Record<string, unknown> = {};
  if (failures.length === 0 && primary) {
    for (const [key, field] of Object.entries(step.extract_context)) {
      const value = fieldOf(response, field);
      if (value !== undefined && value !== null) extracted[key] = context[key] = value;
    }
  }
  return { status: answer.status, failures, response, sent, extracted };
}
