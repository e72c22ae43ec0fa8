import { z } from 'zod';

/** RFC 9457 problem details; extension members are allowed, so the object stays open. */
export const ProblemDetail = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(100).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  retryable: z.boolean().optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  backoffStrategy: z.enum(['none', 'fixed', 'exponential']).optional(),
  errors: z
    .array(z.looseObject({ field: z.string().optional(), message: z.string().optional() }))
    .optional(),
});
export type ProblemDetail = z.infer<typeof ProblemDetail>;
