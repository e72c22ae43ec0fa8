import { z } from 'zod';
import { DeviceCapabilitiesManifest } from '../margo/device-capabilities';

/**
 * A device as the compatibility evaluator sees it: its capabilities in the rc.3 shape, and
 * where they come from. A Docker probe cannot learn everything (peripherals, interfaces,
 * vendor…): properties listed in `unknown` and absent are "not known", which makes a check
 * unknown instead of silently passing or failing. Capabilities a Margo client reported are
 * taken as written: there, an absent property is absent.
 */
export const CompatibilityDevice = z.strictObject({
  name: z.string(),
  source: z.enum(['docker-probe', 'margo-client']),
  capabilities: DeviceCapabilitiesManifest,
  /** Top-level property names whose absence, or "", means "not known" (Docker devices only). */
  unknown: z.array(z.string()),
});
export type CompatibilityDevice = z.infer<typeof CompatibilityDevice>;
