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
