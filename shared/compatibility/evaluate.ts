import type { ApplicationDescription, DeploymentProfile } from '../margo/application-description';
import type { CommunicationInterface, Peripheral } from '../margo/resources';
import { formatBytes, parseQuantity } from '../units/quantity';
import type { CompatibilityDevice } from './compatibility-device';
import { describeRules, evaluateEligibility } from './selectors';
import { verdictOf, type Check, type CompatibilityRow } from './verdict';

const KNOWN_ARCHITECTURES = ['amd64', 'arm64', 'arm', 'riscv64'];
const DEPLOYMENT_TYPES = ['helm', 'compose', 'custom'];

/** The facts a device offers, from an rc.3 or a pre-rc.3 (roles/resources) manifest. */
interface DeviceView {
  cpus: { cores: number; architecture?: string | undefined }[] | undefined;
  memory: number | undefined;
  storage: number | undefined;
  peripherals: Peripheral[] | undefined;
  interfaces: CommunicationInterface[] | undefined;
  deploymentTypes: string[] | undefined;
  unknown: ReadonlySet<string>;
}

function view(device: CompatibilityDevice): DeviceView {
  const p = device.capabilities.properties;
  const legacy = p.resources;
  const legacyCpu = legacy?.cpu;
  const cpus =
    p.cpus ??
    (legacyCpu
      ? (
          legacyCpu.architectures ??
          (legacyCpu.architecture ? [legacyCpu.architecture] : [undefined])
        ).map((architecture) => ({
          cores: legacyCpu.cores,
          architecture,
        }))
      : undefined);
  const memory = p.memory ?? legacy?.memory;
  const storage = p.storage ?? legacy?.storage;
  const types = p.supportedDeploymentTypes ?? (p.roles ? legacyRoleTypes(p.roles) : undefined);
  return {
    cpus,
    memory: memory === undefined ? undefined : parseQuantity(memory),
    storage: storage === undefined ? undefined : parseQuantity(storage),
    peripherals: p.peripherals ?? legacy?.peripherals,
    interfaces: p.interfaces ?? legacy?.interfaces,
    deploymentTypes: types?.map((t) => (DEPLOYMENT_TYPES.includes(t) ? t : 'custom')),
    unknown: new Set(device.unknown),
  };
}

/** Pre-rc.3 roles: a cluster runs Helm, a standalone device runs Compose. */
function legacyRoleTypes(roles: readonly string[]): string[] {
  const types = new Set<string>();
  for (const role of roles) {
    if (role === 'Standalone Cluster' || role === 'Cluster Leader') types.add('helm');
    if (role === 'Standalone Device') types.add('compose');
  }
  return [...types];
}

const check = (
  name: string,
  status: Check['status'],
  expected: string,
  actual: string,
  reason: string,
): Check => ({
  name,
  status,
  expected,
  actual,
  reason,
});

/**
 * The checks of one deployment profile on one device: deployment type, then the legacy
 * requiredResources (as a hint: peripherals and interfaces fail only when the device's are
 * known), then rc.3 deviceConstraints exactly as the spec orders them (capacity first;
 * eligibility rules only for devices that meet it).
 */
export function evaluateProfile(profile: DeploymentProfile, device: CompatibilityDevice): Check[] {
  const d = view(device);
  const checks: Check[] = [typeCheck(profile, d)];
  const rr = profile.requiredResources;
  if (rr) {
    if (rr.cpu) checks.push(...cpuChecks(rr.cpu, d));
    if (rr.memory) checks.push(amountCheck('memory', rr.memory, d.memory, d.unknown.has('memory')));
    if (rr.storage)
      checks.push(amountCheck('storage', rr.storage, d.storage, d.unknown.has('storage')));
    for (const p of rr.peripherals ?? []) checks.push(peripheralCheck(p, d));
    for (const i of rr.interfaces ?? []) checks.push(interfaceCheck(i, d));
  }
  const dc = profile.deviceConstraints;
  if (dc) {
    const capacity: Check[] = [];
    const cr = dc.capacityRequirements;
    if (cr?.cpu) capacity.push(...cpuChecks(cr.cpu, d));
    if (cr?.memory)
      capacity.push(amountCheck('memory', cr.memory, d.memory, d.unknown.has('memory')));
    if (cr?.storage)
      capacity.push(amountCheck('storage', cr.storage, d.storage, d.unknown.has('storage')));
    checks.push(...capacity);
    const rules = dc.eligibilityRules ?? [];
    if (rules.length > 0) {
      const expected = describeRules(rules);
      if (capacity.some((c) => c.status === 'failed')) {
        checks.push(
          check(
            'eligibility rules',
            'unknown',
            expected,
            'not evaluated',
            'the spec evaluates eligibility only for devices that meet the capacity requirements',
          ),
        );
      } else {
        const outcome = evaluateEligibility(rules, {
          properties: device.capabilities.properties as Record<string, unknown>,
          labels: device.capabilities.labels ?? {},
          unknown: d.unknown,
        });
        const status =
          outcome.truth === true ? 'passed' : outcome.truth === false ? 'failed' : 'unknown';
        checks.push(
          check(
            'eligibility rules',
            status,
            expected,
            status === 'passed' ? 'matched' : 'no rule matched',
            outcome.why,
          ),
        );
      }
    }
  }
  return checks;
}

function typeCheck(profile: DeploymentProfile, d: DeviceView): Check {
  const expected = `runs ${profile.type} deployments`;
  if (!d.deploymentTypes) {
    return check(
      'deployment type',
      'failed',
      expected,
      'none reported',
      'the device reports no deployment types: it hosts no workloads',
    );
  }
  const ok = d.deploymentTypes.includes(profile.type);
  return check(
    'deployment type',
    ok ? 'passed' : 'failed',
    expected,
    d.deploymentTypes.join(', '),
    ok
      ? `the device runs ${profile.type}`
      : `the device runs ${d.deploymentTypes.join(' and ')}, not ${profile.type}`,
  );
}

function cpuChecks(
  req: { cores: number; architectures?: string[] | undefined },
  d: DeviceView,
): Check[] {
  if (!d.cpus || d.cpus.length === 0) {
    return [
      check('CPU', 'unknown', `${req.cores} cores`, 'not reported', 'the device reports no CPUs'),
    ];
  }
  const allowed = (arch: string | undefined) =>
    !req.architectures ||
    req.architectures.length === 0 ||
    (arch !== undefined &&
      (req.architectures.includes(arch) ||
        (req.architectures.includes('other') && !KNOWN_ARCHITECTURES.includes(arch))));
  const actual = d.cpus
    .map((c) => `${c.cores} cores${c.architecture ? ` ${c.architecture}` : ''}`)
    .join(', ');
  const checks: Check[] = [];
  if (req.architectures && req.architectures.length > 0) {
    const ok = d.cpus.some((c) => allowed(c.architecture));
    checks.push(
      check(
        'CPU architecture',
        ok ? 'passed' : 'failed',
        req.architectures.join(' or '),
        d.cpus.map((c) => c.architecture ?? 'unknown').join(', '),
        ok
          ? 'the device has an allowed architecture'
          : `the profile runs on ${req.architectures.join(' or ')} only`,
      ),
    );
  }
  // One CPU entry must cover the cores (entries are never summed), with an allowed architecture.
  const ok = d.cpus.some((c) => allowed(c.architecture) && c.cores >= req.cores);
  checks.push(
    check(
      'CPU cores',
      ok ? 'passed' : 'failed',
      `${req.cores} cores`,
      actual,
      ok
        ? 'enough cores for one workload'
        : `the profile needs ${req.cores} cores on one CPU entry; the device offers ${actual}`,
    ),
  );
  return checks;
}

function amountCheck(
  what: 'memory' | 'storage',
  required: string,
  available: number | undefined,
  unknownWhat: boolean,
): Check {
  const need = parseQuantity(required);
  if (need === undefined)
    return check(
      what,
      'unknown',
      required,
      '',
      `"${required}" is not a binary quantity (e.g. 512Mi)`,
    );
  if (available === undefined) {
    return check(
      what,
      'unknown',
      required,
      'not reported',
      unknownWhat
        ? `the device does not report its ${what}; add it to the device to decide`
        : `the device reports no ${what}`,
    );
  }
  const ok = available >= need;
  return check(
    what,
    ok ? 'passed' : 'failed',
    `at least ${formatBytes(need)}`,
    formatBytes(available),
    ok
      ? `enough ${what}`
      : `the profile needs ${formatBytes(need)} of ${what}; the device has ${formatBytes(available)}`,
  );
}

const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

function peripheralCheck(req: Peripheral, d: DeviceView): Check {
  const name = `peripheral ${req.type}${req.manufacturer ? ` ${req.manufacturer}` : ''}${req.model ? ` ${req.model}` : ''}`;
  const list = d.peripherals ?? [];
  const ok = list.some(
    (p) =>
      same(p.type, req.type) &&
      (!req.manufacturer || same(p.manufacturer, req.manufacturer)) &&
      (!req.model || same(p.model, req.model)),
  );
  const actual = list.length
    ? list.map((p) => [p.type, p.manufacturer, p.model].filter(Boolean).join(' ')).join(', ')
    : 'none described';
  if (ok) return check(name, 'passed', name, actual, 'the device has it');
  if (d.peripherals === undefined || d.unknown.has('peripherals')) {
    return check(
      name,
      'unknown',
      name,
      actual,
      "the device's peripherals are not known: describe them (devices add/label) to decide",
    );
  }
  return check(
    name,
    'failed',
    name,
    actual,
    `the device has no ${req.type}${req.manufacturer ? ` from ${req.manufacturer}` : ''}`,
  );
}

function interfaceCheck(req: CommunicationInterface, d: DeviceView): Check {
  const name = `interface ${req.type}`;
  const list = d.interfaces ?? [];
  const ok = list.some((i) => same(i.type, req.type));
  const actual = list.length ? list.map((i) => i.type).join(', ') : 'none described';
  if (ok) return check(name, 'passed', req.type, actual, 'the device has it');
  if (d.interfaces === undefined || d.unknown.has('interfaces')) {
    return check(
      name,
      'unknown',
      req.type,
      actual,
      "the device's interfaces are not known: describe them to decide",
    );
  }
  return check(name, 'failed', req.type, actual, `the device has no ${req.type} interface`);
}

/** Every profile of an application on one device: the rows of `compat`. */
export function compatibilityRows(
  description: ApplicationDescription,
  device: CompatibilityDevice,
): CompatibilityRow[] {
  return description.deploymentProfiles.map((profile) => {
    const checks = evaluateProfile(profile, device);
    return { device: device.name, profile: profile.id, verdict: verdictOf(checks), checks };
  });
}
