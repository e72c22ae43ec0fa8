import type { ArtifactTrust } from '../../../shared/contract/trust';
import { KitRefusedError } from '../kit/kit-errors';

/**
 * A strict trust policy refuses the whole source: nothing of it is written. Carries every
 * artifact's verdict, so the report still says which passed and which did not.
 */
export class TrustRefusedError extends KitRefusedError {
  override name = 'TrustRefusedError';
  constructor(
    message: string,
    readonly verdicts: readonly ArtifactTrust[],
  ) {
    super(message);
  }
}
