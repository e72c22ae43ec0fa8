import { z } from 'zod';
import { CommunicationInterface, Peripheral } from '../margo/resources';

/**
 * What the engineer tells about a device that no Docker API reveals. Each field, once given,
 * is taken as complete (peripherals given = these and no others).
 */
export const DescribedCapabilities = z.strictObject({
  vendor: z.string().optional(),
  modelNumber: z.string().optional(),
  serialNumber: z.string().optional(),
  storage: z.string().optional(),
  peripherals: z.array(Peripheral).optional(),
  interfaces: z.array(CommunicationInterface).optional(),
});
export type DescribedCapabilities = z.infer<typeof DescribedCapabilities>;
