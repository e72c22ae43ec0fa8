/** Patterns of the Margo specification v1.0.0-rc.3, named after what they validate. */

/** ApplicationDescription `id` and ApplicationDeployment `spec.applicationId`. */
export const APPLICATION_ID = /^[a-z0-9-]{1,200}$/;

/** Component names: lower-case letters, digits and dashes (also the Helm chart name). */
export const COMPONENT_NAME = /^[a-z0-9-]+$/;

/** `x-<unique-name>-extensions`, the only keys suppliers may add. */
export const EXTENSION_KEY = /^x-[a-z][a-z0-9-]*-extensions$/;

/** Component `revision`: SemVer 2.0 without leading v, build metadata after `_` (OCI tags cannot hold `+`). */
export const REVISION =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:_([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Component `timeout`: `##m##s`. */
export const TIMEOUT = /^\d+m\d+s$/;

/** Requirement amounts: strict binary units, no space. */
export const MEMORY_REQUIREMENT = /^[0-9]+(Mi|Gi|Ki)$/;
export const STORAGE_REQUIREMENT = /^[0-9]+(Mi|Gi|Ki|Ti|Pi|Ei)$/;

/** Reported capacities: the spec's own capability examples write "59 Gi" with a space. */
export const CAPACITY = /^[0-9]+(\.[0-9]+)? ?(Ki|Mi|Gi|Ti|Pi|Ei)$/;

/** Device ids (RFC 3986 unreserved segments); a deployment may end in `/*` (gateway picks). */
export const DEVICE_ID = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;
export const DEVICE_ID_WITH_ASTERISK = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*(\/\*)?$/;

export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Digests in state manifests: sha256 over the exact bytes, lower-case hex. */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Author e-mail as the spec writes it (deliberately loose). */
export const AUTHOR_EMAIL = /.*@[a-z0-9.-]*/;

/** An OCI tag, which `metadata.version` must be usable as in an application registry. */
export const OCI_TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** A compose pointer: an environment variable name. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Helm `--set` path: dot-separated keys (dots escaped with `\`), optional [n] indexes. */
export const HELM_VALUE_PATH =
  /^(?:[A-Za-z0-9_-]|\\[.\\])+(?:\[\d+\])*(?:\.(?:[A-Za-z0-9_-]|\\[.\\])+(?:\[\d+\])*)*$/;

/** An unrendered template placeholder anywhere in a value (Helm, Jinja, Go templates). */
export const TEMPLATE_PLACEHOLDER = /\{\{.*?\}\}/s;

/** A whole value that is a fill-in marker: `<app_version>` or `${REVISION:-latest}`. */
export const FILL_IN_PLACEHOLDER = /^(<[A-Za-z_][\w.-]*>|\$\{[A-Za-z_]\w*(:?[-?=][^}]*)?\})$/;
