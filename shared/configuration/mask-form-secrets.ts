import type { FormModel, JsonSchema } from './form-model';
import { MASK } from './secret-heuristic';

/**
 * The form model as it may leave the core (screen, CLI, logs): every secret default — of a
 * field or of a hidden parameter — replaced by the mask. Sent back unchanged, the mask means
 * "keep the value" to the deployment builder, so a secret never travels to be shown.
 */
export function maskFormSecrets(model: FormModel): FormModel {
  const secret = new Set(model.fields.filter((f) => f.secret).map((f) => f.parameter));
  const properties = (model.schema.properties ?? {}) as Record<string, JsonSchema>;
  return {
    ...model,
    fields: model.fields.map((f) =>
      f.secret && f.default !== undefined ? { ...f, default: MASK } : f,
    ),
    hidden: model.hidden.map((h) =>
      h.secret && h.value !== undefined ? { ...h, value: MASK } : h,
    ),
    schema: {
      ...model.schema,
      properties: Object.fromEntries(
        Object.entries(properties).map(([name, p]) => [
          name,
          secret.has(name) && p.default !== undefined ? { ...p, default: MASK } : p,
        ]),
      ),
    },
  };
}
