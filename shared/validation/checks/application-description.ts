import type { ApplicationDescription } from '../../margo/application-description';
import type { ProfileType } from '../../margo/components';
import { APPLICATION_ID, AUTHOR_EMAIL, OCI_TAG } from '../../margo/patterns';
import type { Findings } from '../findings';
import { checkComponents } from './components';
import { checkConfiguration } from './configuration';
import { checkDeviceConstraints, checkRequirementAmounts } from './device-constraints';
import { checkTargets } from './parameter-targets';

/** The semantic rules of an application description, beyond its shape. */
export function checkApplicationDescription(d: ApplicationDescription, findings: Findings): void {
  checkApplicationId(d.id, ['id'], findings);
  if (!OCI_TAG.test(d.metadata.version)) {
    findings.add(
      'version-not-oci-tag',
      ['metadata', 'version'],
      `version "${d.metadata.version}" cannot be an OCI tag (letters, digits, _ . -, at most 128, not starting with . or -), which registries require it to be: e.g. ${d.metadata.version.replace(/[^a-zA-Z0-9_.-]+/g, '_').replace(/^[.-]+/, '') || '1.0.0'}`,
    );
  }
  d.metadata.catalog.author?.forEach((author, i) => {
    if (author.email !== undefined && !AUTHOR_EMAIL.test(author.email)) {
      findings.add(
        'author-email',
        ['metadata', 'catalog', 'author', i, 'email'],
        `"${author.email}" is not an e-mail address`,
      );
    }
  });

  const profileIds = new Map<string, number>();
  const componentTypes = new Map<string, Set<ProfileType>>();
  d.deploymentProfiles.forEach((profile, i) => {
    const path = ['deploymentProfiles', i];
    const first = profileIds.get(profile.id);
    if (first !== undefined) {
      findings.add(
        'profile-id-unique',
        [...path, 'id'],
        `profile id "${profile.id}" is already used by profile ${first + 1}: each profile needs its own id; rename one`,
      );
    } else {
      profileIds.set(profile.id, i);
    }
    checkComponents(profile.components, [...path, 'components'], findings);
    for (const component of profile.components) {
      const types = componentTypes.get(component.name) ?? new Set<ProfileType>();
      types.add(profile.type);
      componentTypes.set(component.name, types);
    }
    if (profile.requiredResources)
      checkRequirementAmounts(profile.requiredResources, [...path, 'requiredResources'], findings);
    if (profile.deviceConstraints)
      checkDeviceConstraints(profile.deviceConstraints, [...path, 'deviceConstraints'], findings);
  });

  const parameters = d.parameters ?? {};
  for (const [name, parameter] of Object.entries(parameters)) {
    checkTargets(
      parameter.targets,
      ['parameters', name, 'targets'],
      componentTypes,
      'any deployment profile',
      findings,
      new Set(profileIds.keys()),
    );
  }
  if (d.configuration) checkConfiguration(d.configuration, parameters, findings);
}

export function checkApplicationId(
  id: string,
  path: readonly (string | number)[],
  findings: Findings,
): void {
  if (APPLICATION_ID.test(id)) return;
  const bad = [...new Set(id.replace(/[a-z0-9-]/g, ''))];
  const reasons: string[] = [];
  if (id.length === 0) reasons.push('it is empty');
  if (id.length > 200) reasons.push(`it has ${id.length} characters, at most 200 are allowed`);
  if (bad.length > 0) reasons.push(`it contains ${bad.map((c) => `"${c}"`).join(', ')}`);
  const suggestion = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
  findings.add(
    'app-id-pattern',
    path,
    `application id "${id.length > 80 ? `${id.slice(0, 77)}...` : id}" may contain only lower-case letters, digits and dashes, at most 200 characters: ${reasons.join('; ')}${suggestion && suggestion !== id ? `. For example: "${suggestion.length > 80 ? `${suggestion.slice(0, 77)}...` : suggestion}"` : ''}`,
  );
}
