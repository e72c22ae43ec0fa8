import type { ApplicationDescription, DeploymentProfile } from '../margo/application-description';
import type { CompatibilityDevice } from './compatibility-device';
import { deviceFacts, type Amount, type DeviceFacts } from './device-facts';
import {
  profileRequirements,
  type AmountRequirement,
  type CpuRequirement,
  type InterfaceRequirement,
  type PeripheralRequirement,
  type ProfileRequirements,
} from './profile-requirements';
import { matchRules } from './selectors';
import { verdictOf, type Check, type CompatibilityRow } from './verdict';

// What a profile asks and what a device offers are each read once (profile-requirements.ts,
// device-facts.ts); what follows compares the two and picks the words.

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
  return checksOf(profileRequirements(profile), deviceFacts(device));
}

function checksOf(r: ProfileRequirements, d: DeviceFacts): Check[] {
  const checks: Check[] = [typeCheck(r, d)];
  const rr = r.legacy;
  if (rr) {
    if (rr.cpu) cpuChecks(rr.cpu, d, checks);
    if (rr.memory) checks.push(amountCheck(rr.memory, d.memory, d.memoryUnknown));
    if (rr.storage) checks.push(amountCheck(rr.storage, d.storage, d.storageUnknown));
    for (const p of rr.peripherals) checks.push(peripheralCheck(p, d));
    for (const i of rr.interfaces) checks.push(interfaceCheck(i, d));
  }
  const dc = r.constraints;
  if (dc) {
    const first = checks.length;
    if (dc.cpu) cpuChecks(dc.cpu, d, checks);
    if (dc.memory) checks.push(amountCheck(dc.memory, d.memory, d.memoryUnknown));
    if (dc.storage) checks.push(amountCheck(dc.storage, d.storage, d.storageUnknown));
    const rules = dc.rules;
    if (rules) {
      let capacityFailed = false;
      for (let i = first; i < checks.length; i++)
        if ((checks[i] as Check).status === 'failed') capacityFailed = true;
      if (capacityFailed) {
        checks.push(
          check(
            'eligibility rules',
            'unknown',
            rules.description,
            'not evaluated',
            'the spec evaluates eligibility only for devices that meet the capacity requirements',
          ),
        );
      } else {
        const outcome = matchRules(rules, d.selectors);
        const status =
          outcome.truth === true ? 'passed' : outcome.truth === false ? 'failed' : 'unknown';
        checks.push(
          check(
            'eligibility rules',
            status,
            rules.description,
            status === 'passed' ? 'matched' : 'no rule matched',
            outcome.why,
          ),
        );
      }
    }
  }
  return checks;
}

function typeCheck(r: ProfileRequirements, d: DeviceFacts): Check {
  if (!d.deploymentTypes) {
    return check(
      'deployment type',
      'failed',
      r.typeSaid,
      'none reported',
      'the device reports no deployment types: it hosts no workloads',
    );
  }
  const ok = d.deploymentTypes.includes(r.type);
  return check(
    'deployment type',
    ok ? 'passed' : 'failed',
    r.typeSaid,
    d.deploymentTypesSaid,
    ok ? r.typeRuns : `the device runs ${d.deploymentTypesAnd}, not ${r.type}`,
  );
}

const KNOWN_ARCHITECTURES = ['amd64', 'arm64', 'arm', 'riscv64'];

function allowsArchitecture(req: CpuRequirement, arch: string | undefined): boolean {
  const allowed = req.architectures;
  return (
    !allowed ||
    (arch !== undefined &&
      (allowed.includes(arch) ||
        (allowed.includes('other') && !KNOWN_ARCHITECTURES.includes(arch))))
  );
}

function cpuChecks(req: CpuRequirement, d: DeviceFacts, checks: Check[]): void {
  const cpus = d.cpus;
  if (!cpus || cpus.length === 0) {
    checks.push(
      check('CPU', 'unknown', req.coresSaid, 'not reported', 'the device reports no CPUs'),
    );
    return;
  }
  // One CPU entry must cover the cores (entries are never summed), with an allowed architecture.
  let allowed = false;
  let enough = false;
  for (const c of cpus) {
    if (!allowsArchitecture(req, c.architecture)) continue;
    allowed = true;
    if (c.cores >= req.cores) enough = true;
  }
  if (req.architectures) {
    checks.push(
      check(
        'CPU architecture',
        allowed ? 'passed' : 'failed',
        req.architecturesSaid,
        d.architecturesSaid,
        allowed
          ? 'the device has an allowed architecture'
          : `the profile runs on ${req.architecturesSaid} only`,
      ),
    );
  }
  checks.push(
    check(
      'CPU cores',
      enough ? 'passed' : 'failed',
      req.coresSaid,
      d.cpusSaid,
      enough
        ? 'enough cores for one workload'
        : `the profile needs ${req.coresSaid} on one CPU entry; the device offers ${d.cpusSaid}`,
    ),
  );
}

const ENOUGH = { memory: 'enough memory', storage: 'enough storage' } as const;

function amountCheck(
  req: AmountRequirement,
  available: Amount | undefined,
  unknownWhat: boolean,
): Check {
  const what = req.what;
  if (req.bytes === undefined)
    return check(
      what,
      'unknown',
      req.required,
      '',
      `"${req.required}" is not a binary quantity (e.g. 512Mi)`,
    );
  if (available === undefined) {
    return check(
      what,
      'unknown',
      req.required,
      'not reported',
      unknownWhat
        ? `the device does not report its ${what}; add it to the device to decide`
        : `the device reports no ${what}`,
    );
  }
  const ok = available.bytes >= req.bytes;
  // Rounded to three figures, 23.96 GiB and 24 GiB both read "24 GiB": a refusal must not.
  const has = available.said === req.said ? `slightly less than ${req.said}` : available.said;
  return check(
    what,
    ok ? 'passed' : 'failed',
    req.atLeast,
    available.said,
    ok ? ENOUGH[what] : `the profile needs ${req.said} of ${what}; the device has ${has}`,
  );
}

function peripheralCheck(req: PeripheralRequirement, d: DeviceFacts): Check {
  let ok = false;
  for (const p of d.peripherals) {
    if (
      p.type !== undefined &&
      p.type === req.type &&
      (req.manufacturer === undefined || p.manufacturer === req.manufacturer) &&
      (req.model === undefined || p.model === req.model)
    )
      ok = true;
  }
  if (ok) return check(req.name, 'passed', req.name, d.peripheralsSaid, 'the device has it');
  if (d.peripheralsNotKnown) {
    return check(
      req.name,
      'unknown',
      req.name,
      d.peripheralsSaid,
      "the device's peripherals are not known: describe them (devices add/label) to decide",
    );
  }
  return check(req.name, 'failed', req.name, d.peripheralsSaid, `the device has no ${req.missing}`);
}

function interfaceCheck(req: InterfaceRequirement, d: DeviceFacts): Check {
  let ok = false;
  for (const t of d.interfaceTypes) if (t !== undefined && t === req.lowered) ok = true;
  if (ok) return check(req.name, 'passed', req.type, d.interfacesSaid, 'the device has it');
  if (d.interfacesNotKnown) {
    return check(
      req.name,
      'unknown',
      req.type,
      d.interfacesSaid,
      "the device's interfaces are not known: describe them to decide",
    );
  }
  return check(
    req.name,
    'failed',
    req.type,
    d.interfacesSaid,
    `the device has no ${req.type} interface`,
  );
}

/** Every profile of an application on one device: the rows of `compat`. */
export function compatibilityRows(
  description: ApplicationDescription,
  device: CompatibilityDevice,
): CompatibilityRow[] {
  const facts = deviceFacts(device);
  return description.deploymentProfiles.map((profile) => {
    const checks = checksOf(profileRequirements(profile), facts);
    return { device: device.name, profile: profile.id, verdict: verdictOf(checks), checks };
  });
}
