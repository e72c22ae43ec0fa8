import { z } from 'zod';

/** A container's state as the Docker Engine reports it (`State.Status`). */
export const ContainerState = z.enum([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);
export type ContainerState = z.infer<typeof ContainerState>;

/** The state Docker reports, or `dead` for one this version does not know. */
export function containerStateOf(status: string): ContainerState {
  const parsed = ContainerState.safeParse(status);
  return parsed.success ? parsed.data : 'dead';
}
