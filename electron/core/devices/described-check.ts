import { CommissionerError } from '../../../shared/contract/contract-error';
import { DescribedCapabilities } from '../../../shared/devices/described-capabilities';
import { CAPACITY } from '../../../shared/margo/patterns';

/**
 * What the engineer tells about a device, checked: the schema's shape, and storage as an
 * amount in binary units (the compatibility report compares it with what apps need).
 */
export function checkDescribed(described: DescribedCapabilities): DescribedCapabilities {
  const parsed = DescribedCapabilities.safeParse(described);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CommissionerError(
      'invalid-input',
      `${issue?.path.join('.') || 'the description'}: ${issue?.message ?? 'not valid'}`,
      { field: String(issue?.path[0] ?? 'described') },
    );
  }
  if (parsed.data.storage !== undefined && !CAPACITY.test(parsed.data.storage)) {
    throw new CommissionerError(
      'invalid-input',
      `storage ${parsed.data.storage} must be an amount in binary units, e.g. 64Gi`,
      { field: 'storage' },
    );
  }
  return parsed.data;
}
