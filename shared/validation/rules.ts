import type { Severity } from './diagnostic';

interface RuleInfo {
  severity: Severity;
  summary: string;
}

/**
 * Every rule the validator can report, with its stable id. Ids are part of the CLI's JSON
 * output and of the documentation: never rename one, add a new id instead.
 * Errors are what would break an import or a deployment; warnings are legacy forms and
 * values the engineer can still fix later.
 */
export const RULES = {
  // files and YAML
  'file-too-large': {
    severity: 'error',
    summary: 'the file is larger than the limit for its kind',
  },
  'file-encoding': { severity: 'error', summary: 'the file is not UTF-8 text' },
  'file-unreadable': { severity: 'error', summary: 'a file of the package cannot be read' },
  'yaml-syntax': { severity: 'error', summary: 'the text is not valid YAML' },
  'yaml-duplicate-key': { severity: 'error', summary: 'a mapping has the same key twice' },
  'yaml-tab-indent': { severity: 'error', summary: 'tabs are used for indentation' },
  'yaml-bad-indent': { severity: 'error', summary: 'items of one mapping or list are not aligned' },
  'yaml-alias-bomb': { severity: 'error', summary: 'aliases expand to an excessive size' },
  'yaml-too-deep': { severity: 'error', summary: 'collections are nested too deeply' },
  'yaml-multiple-documents': { severity: 'error', summary: 'more than one YAML document' },
  'yaml-empty': { severity: 'error', summary: 'the file holds no document' },
  'yaml-not-mapping': { severity: 'error', summary: 'the document is not a mapping' },
  'yaml11-ambiguous': {
    severity: 'warning',
    summary: 'an unquoted value that YAML 1.1 readers take for a boolean or octal number',
  },
  'type-coerced': {
    severity: 'warning',
    summary: 'a value of the wrong type was read as intended (e.g. an unquoted version 1.0)',
  },
  'template-placeholder': { severity: 'error', summary: 'an unrendered {{ … }} placeholder' },

  // document kind and shape
  'kind-unknown': { severity: 'error', summary: 'the document is none of the Margo documents' },
  'kind-invalid': { severity: 'error', summary: '`kind` names no Margo document' },
  'kind-missing': { severity: 'warning', summary: 'an ApplicationDescription without `kind`' },
  'api-version-missing': {
    severity: 'warning',
    summary: 'an ApplicationDescription without `apiVersion`',
  },
  'required-field': { severity: 'error', summary: 'a required field is missing' },
  'type-mismatch': { severity: 'error', summary: 'a value has the wrong type' },
  'enum-value': { severity: 'error', summary: 'a value is not one of the allowed values' },
  'value-range': { severity: 'error', summary: 'a number or list is outside its allowed range' },
  'unknown-field': {
    severity: 'warning',
    summary: 'a field the specification does not define (ignored)',
  },
  'extension-key': {
    severity: 'warning',
    summary: 'an `x-` field not named `x-<name>-extensions`',
  },
  'extension-not-object': {
    severity: 'warning',
    summary: 'an extension whose value is not a mapping',
  },

  // ApplicationDescription
  'app-id-pattern': { severity: 'error', summary: 'the application id breaks ^[a-z0-9-]{1,200}$' },
  'app-id-conflict': { severity: 'error', summary: '`id` and legacy `metadata.id` differ' },
  'version-not-oci-tag': {
    severity: 'warning',
    summary: '`metadata.version` cannot be an OCI tag, which the registry requires',
  },
  'author-email': { severity: 'warning', summary: 'an author e-mail breaks .*@[a-z0-9.-]*' },
  'profile-id-unique': { severity: 'error', summary: 'two deployment profiles share an id' },
  'component-name-pattern': {
    severity: 'error',
    summary: 'a component name is not lower-case letters, digits and dashes',
  },
  'component-name-unique': {
    severity: 'error',
    summary: 'two components of a profile share a name',
  },
  'component-location-missing': {
    severity: 'error',
    summary: 'a component has neither `repository` nor legacy `packageLocation`',
  },
  'component-repository-scheme': {
    severity: 'warning',
    summary: 'a component repository is not an oci:// reference',
  },
  'revision-missing': { severity: 'error', summary: 'a component repository has no `revision`' },
  'revision-semver': {
    severity: 'error',
    summary: 'a component revision is not SemVer 2.0 as an OCI tag',
  },
  'timeout-format': { severity: 'error', summary: 'a component timeout is not ##m##s' },
  'resource-unit': {
    severity: 'error',
    summary: 'a memory or storage amount has no valid binary unit',
  },
  'constraint-expression': {
    severity: 'error',
    summary: 'a deviceConstraints match expression is inconsistent with its operator',
  },
  'constraint-pointer': {
    severity: 'error',
    summary: 'a property selector key is not a JSON Pointer',
  },
  'target-component-unknown': {
    severity: 'error',
    summary: 'a parameter target names a component that does not exist',
  },
  'pointer-odd': {
    severity: 'warning',
    summary: 'a parameter pointer the target runtime cannot use as is',
  },
  'setting-parameter-unknown': {
    severity: 'error',
    summary: 'a setting names a parameter that does not exist',
  },
  'setting-schema-unknown': {
    severity: 'error',
    summary: 'a setting names a schema rule that does not exist',
  },
  'setting-parameter-duplicate': {
    severity: 'warning',
    summary: 'two settings edit the same parameter',
  },
  'schema-name-unique': { severity: 'error', summary: 'two schema rules share a name' },
  'schema-datatype': { severity: 'error', summary: 'a schema rule has an unknown dataType' },
  'schema-rule-datatype': { severity: 'error', summary: 'a schema rule does not fit its dataType' },
  'schema-range': { severity: 'error', summary: 'a schema minimum is above its maximum' },
  'schema-regex-invalid': {
    severity: 'error',
    summary: 'a regexMatch is not a valid regular expression',
  },
  'schema-regex-pcre': {
    severity: 'warning',
    summary: 'a regexMatch uses a PCRE escape that JavaScript reads differently',
  },
  'schema-options': {
    severity: 'error',
    summary: 'select options are empty or do not fit the dataType',
  },
  'parameter-default-invalid': {
    severity: 'warning',
    summary: "a parameter's default value breaks its own schema rule",
  },

  // legacy forms, accepted with a warning that names the current form
  'legacy-metadata-id': { severity: 'warning', summary: '`metadata.id` instead of top-level `id`' },
  'legacy-profile-type': {
    severity: 'warning',
    summary: '`helm.v3` or `docker-compose` profile type',
  },
  'legacy-package-location': {
    severity: 'warning',
    summary: '`packageLocation`/`keyLocation` instead of `repository` + `revision`',
  },
  'legacy-env-pointer': { severity: 'warning', summary: '`ENV.`-prefixed compose pointer' },
  'legacy-required-resources': {
    severity: 'warning',
    summary: '`requiredResources` instead of `deviceConstraints.capacityRequirements`',
  },
  'legacy-architecture': { severity: 'warning', summary: '`x86_64` instead of `amd64`' },
  'legacy-deployment-shape': {
    severity: 'warning',
    summary:
      'ApplicationDeployment ids in `metadata.annotations` instead of `id`/`spec.applicationId`',
  },
  'legacy-capabilities-shape': {
    severity: 'warning',
    summary: 'DeviceCapabilitiesManifest with `roles`/`resources` (before rc.3)',
  },
  'legacy-status-shape': {
    severity: 'warning',
    summary: 'DeploymentStatusManifest in a pre-rc.3 shape',
  },
  'legacy-manifest-url': {
    severity: 'warning',
    summary: 'a state manifest URL with /clients/{clientId}',
  },

  // ApplicationDeployment, capabilities, status, state manifest
  'deployment-id-format': { severity: 'error', summary: 'a deployment id is not a UUID' },
  'device-id-pattern': {
    severity: 'error',
    summary: 'a device id has characters outside RFC 3986 unreserved',
  },
  'device-id-missing': {
    severity: 'warning',
    summary: 'an ApplicationDeployment without `metadata.deviceId`',
  },
  'capability-unknown-value': {
    severity: 'warning',
    summary: 'an unknown runtime or deployment type (treated as `custom`)',
  },
  'status-precedence': {
    severity: 'warning',
    summary: 'the overall state is not the most severe component state',
  },
  'digest-format': {
    severity: 'error',
    summary: 'a digest is not sha256: + 64 lower-case hex digits',
  },
  'manifest-url': { severity: 'error', summary: 'a state manifest URL does not match its digest' },
  'bundle-null': {
    severity: 'error',
    summary: '`bundle` must be null exactly when there are no deployments',
  },

  // package directories
  'package-no-description': {
    severity: 'error',
    summary: 'no ApplicationDescription in the package root',
  },
  'package-multiple-descriptions': {
    severity: 'error',
    summary: 'more than one ApplicationDescription in the package root',
  },
  'package-file-missing': {
    severity: 'error',
    summary: 'a file the description references is missing',
  },
  'package-file-outside': {
    severity: 'error',
    summary: 'a file reference is absolute or leaves the package',
  },
  'compose-unreadable': {
    severity: 'warning',
    summary:
      "a component's compose file cannot be read with the default values: its host access is not reviewed",
  },
  'package-file-remote': {
    severity: 'warning',
    summary: 'a file reference is a URL, which an offline catalog cannot show',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;
