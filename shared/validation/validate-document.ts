import { isScalar, Scalar, type Document } from 'yaml';
import type { z } from 'zod';
import { ApplicationDeployment } from '../margo/application-deployment';
import { ApplicationDescription } from '../margo/application-description';
import { DeploymentStatusManifest } from '../margo/deployment-status';
import { DesiredStateManifest } from '../margo/desired-state-manifest';
import { DeviceCapabilitiesManifest } from '../margo/device-capabilities';
import { detectKind, DocumentKind } from '../margo/document-kind';
import { ProblemDetail } from '../margo/problem-detail';
import { formatBytes } from '../units/quantity';
import { decodeUtf8 } from '../yaml/decode-utf8';
import { locateKey, locatePath } from '../yaml/locate';
import { parseYaml } from '../yaml/parse-yaml';
import { checkApplicationDeployment } from './checks/application-deployment';
import { checkApplicationDescription } from './checks/application-description';
import { checkDeploymentStatus } from './checks/deployment-status';
import { checkDesiredStateManifest } from './checks/desired-state-manifest';
import { checkDeviceCapabilities } from './checks/device-capabilities';
import { checkPackageReferences, type PackageFiles } from './checks/package-references';
import {
  compareDiagnostics,
  hasErrors,
  type Diagnostic,
  type Finding,
  type PathSegment,
} from './diagnostic';
import { Findings } from './findings';
import { formatJsonPath } from './json-path';
import { scanScalars } from './scalar-scan';
import { checkShape, type ScalarSource } from './shape-findings';
import { upgradeApplicationDeployment } from './upgrade/application-deployment';
import { upgradeApplicationDescription } from './upgrade/application-description';
import { upgradeDeploymentStatus } from './upgrade/deployment-status';
import { upgradeDeviceCapabilities } from './upgrade/device-capabilities';
import { toSourcePath, type PathRewrite } from './upgrade/path-rewrite';
import { clonePlain, setAtPath, type PlainRecord } from './upgrade/plain-data';

/** Largest Margo document accepted (descriptions, deployments, manifests): 1 MiB. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

export interface DocumentValidation {
  /** What the document is; null when it could not be told (or not even parsed). */
  kind: DocumentKind | null;
  /** The document upgraded to the rc.3 shape; matches the kind's schema when `valid`. */
  value: unknown;
  /** True when `value` has the kind's shape (typed access is safe), even if rules failed. */
  shapeValid: boolean;
  valid: boolean;
  diagnostics: Diagnostic[];
}

interface Pipeline {
  schema: z.ZodType;
  upgrade?: (doc: PlainRecord, findings: Findings) => PathRewrite[] | void;
  check?: (value: never, findings: Findings) => void;
}

const PIPELINES: Record<DocumentKind, Pipeline> = {
  ApplicationDescription: {
    schema: ApplicationDescription,
    upgrade: upgradeApplicationDescription,
    check: checkApplicationDescription,
  },
  ApplicationDeployment: {
    schema: ApplicationDeployment,
    upgrade: upgradeApplicationDeployment,
    check: checkApplicationDeployment,
  },
  DeviceCapabilitiesManifest: {
    schema: DeviceCapabilitiesManifest,
    upgrade: upgradeDeviceCapabilities,
    check: checkDeviceCapabilities,
  },
  DeploymentStatusManifest: {
    schema: DeploymentStatusManifest,
    upgrade: upgradeDeploymentStatus,
    check: checkDeploymentStatus,
  },
  DesiredStateManifest: { schema: DesiredStateManifest, check: checkDesiredStateManifest },
  ProblemDetail: { schema: ProblemDetail },
};

export interface ValidateOptions {
  /** The name diagnostics carry in their `file` field. */
  file: string;
  maxBytes?: number;
  /** Set when the document is the description of a package: its references are checked too. */
  packageFiles?: PackageFiles;
}

/** Validates the raw bytes of a file: size, encoding, YAML, then the Margo rules. */
export function validateDocumentBytes(
  bytes: Uint8Array,
  options: ValidateOptions,
): DocumentValidation {
  const limit = options.maxBytes ?? MAX_DOCUMENT_BYTES;
  if (bytes.length > limit) return fileTooLarge(options.file, bytes.length, limit);
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    return failed([
      {
        severity: 'error',
        rule: 'file-encoding',
        message: decoded.message,
        file: options.file,
        line: decoded.line,
        column: decoded.column,
        path: '',
      },
    ]);
  }
  return validateDocumentText(decoded.text, options);
}

export function fileTooLarge(file: string, size: number, limit: number): DocumentValidation {
  return failed([
    {
      severity: 'error',
      rule: 'file-too-large',
      message: `the file has ${formatBytes(size)}, more than the ${formatBytes(limit)} a Margo document may have: this is not a Margo document (not read further)`,
      file,
      line: 1,
      column: 1,
      path: '',
    },
  ]);
}

/** Validates YAML or JSON text as whichever Margo document it is. */
export function validateDocumentText(text: string, options: ValidateOptions): DocumentValidation {
  const parsed = parseYaml(text);
  const place = (findings: readonly Finding[], rewrites: readonly PathRewrite[] = []) =>
    placeFindings(
      findings,
      rewrites,
      parsed.doc,
      (offset) => parsed.lineCounter.linePos(offset),
      options.file,
    );
  if (!parsed.doc) {
    return failed(place(parsed.findings));
  }
  const doc = parsed.doc;
  const findings = new Findings();
  findings.push(...parsed.findings);
  const value = clonePlain(parsed.value as PlainRecord);
  const scan = scanScalars(doc, text);
  findings.push(...scan.findings);
  for (const { path, text: source } of scan.placeholderMappings) setAtPath(value, path, source);
  const detection = detectKind(value);
  if (detection.invalidKind !== undefined) {
    findings.add(
      'kind-invalid',
      ['kind'],
      `kind "${detection.invalidKind}" ${isDocumentKind(detection.invalidKind) ? 'does not match the fields' : 'is not a Margo document'}${detection.kind ? `: its fields are those of ${article(detection.kind)} ${detection.kind}, so write \`kind: ${detection.kind}\`` : ''}`,
    );
  }
  if (!detection.kind) {
    if (detection.invalidKind === undefined) {
      findings.add(
        'kind-unknown',
        [],
        'this is none of the Margo documents (application description, deployment, capabilities, status, state manifest): an application description needs `kind: ApplicationDescription`',
      );
    }
    return finish(null, value, false, place(findings.list));
  }

  const pipeline = PIPELINES[detection.kind];
  const rewrites = pipeline.upgrade?.(value, findings) ?? [];
  // Reported above; validating the rest as the kind its fields show says more than stopping.
  if (detection.invalidKind !== undefined) delete value.kind;
  const scalarAt = (path: readonly PathSegment[]): ScalarSource | undefined => {
    const node = locatePath(doc, toSourcePath(path, rewrites)).node;
    return isScalar(node) && node.source !== undefined
      ? { source: node.source, plain: node.type === Scalar.PLAIN }
      : undefined;
  };
  const shape = checkShape(pipeline.schema, value, scalarAt);
  findings.push(...shape.findings);
  if (shape.ok && pipeline.check) pipeline.check(shape.value as never, findings);
  if (shape.ok && options.packageFiles && detection.kind === 'ApplicationDescription') {
    checkPackageReferences(shape.value as ApplicationDescription, options.packageFiles, findings);
  }
  return finish(detection.kind, shape.value, shape.ok, place(findings.list, rewrites));
}

function finish(
  kind: DocumentKind | null,
  value: unknown,
  shapeValid: boolean,
  diagnostics: Diagnostic[],
): DocumentValidation {
  return { kind, value, shapeValid, valid: !hasErrors(diagnostics), diagnostics };
}

function failed(diagnostics: Diagnostic[]): DocumentValidation {
  return { kind: null, value: undefined, shapeValid: false, valid: false, diagnostics };
}

/** Gives each finding its file position and its path as written in the file. */
function placeFindings(
  findings: readonly Finding[],
  rewrites: readonly PathRewrite[],
  doc: Document | null,
  linePos: (offset: number) => { line: number; col: number },
  file: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const coerced = new Set<number>();
  const placeholders = new Set<number>();
  const placed = findings.map((f) => {
    const sourcePath = toSourcePath(f.path, rewrites);
    let offset = f.offset;
    if (offset === undefined) {
      offset = doc
        ? f.atKey
          ? locateKey(doc, sourcePath)
          : locatePath(doc, sourcePath).offset
        : 0;
    }
    if (f.rule === 'type-coerced') coerced.add(offset);
    if (f.rule === 'template-placeholder') placeholders.add(offset);
    return { f, offset, sourcePath };
  });
  for (const { f, offset, sourcePath } of placed) {
    // One finding per value: a coerced `wait: yes` already explains the YAML 1.1 reading, and
    // whatever else is wrong with `{{ .Values.x }}` follows from it being a placeholder.
    if (f.rule === 'yaml11-ambiguous' && coerced.has(offset)) continue;
    if (f.rule !== 'template-placeholder' && placeholders.has(offset)) continue;
    const { line, col } = linePos(offset);
    out.push({
      severity: f.severity,
      rule: f.rule,
      message: f.message,
      file,
      line,
      column: col,
      path: formatJsonPath(sourcePath),
    });
  }
  return out.sort(compareDiagnostics);
}

function isDocumentKind(kind: string): boolean {
  return DocumentKind.safeParse(kind).success;
}

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? 'an' : 'a';
}
