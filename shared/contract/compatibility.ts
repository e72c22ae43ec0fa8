import { z } from 'zod';
import { Check, Verdict } from '../compatibility/verdict';

/** The apps × devices matrix: each cell the best verdict over the app's profiles, with why. */
export const MatrixQuery = z.strictObject({
  appIds: z.array(z.string()).optional(),
  devices: z.array(z.string()).optional(),
});
export type MatrixQuery = z.infer<typeof MatrixQuery>;

export const MatrixCell = z.strictObject({
  appId: z.string(),
  device: z.string(),
  verdict: Verdict,
  profiles: z.array(
    z.strictObject({ profile: z.string(), verdict: Verdict, checks: z.array(Check) }),
  ),
});
export type MatrixCell = z.infer<typeof MatrixCell>;

export const Matrix = z.strictObject({
  apps: z.array(z.strictObject({ id: z.string(), name: z.string(), version: z.string() })),
  devices: z.array(z.string()),
  cells: z.array(MatrixCell),
});
export type Matrix = z.infer<typeof Matrix>;
