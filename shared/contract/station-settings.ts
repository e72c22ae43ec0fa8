import { z } from 'zod';
import { DeploymentOwner } from '../application-deployment/ownership-labels';

/** How often the open app asks each device with deployments what runs (Settings). */
export const WatchIntervalView = z.strictObject({ seconds: z.number().int().positive() });
export type WatchIntervalView = z.infer<typeof WatchIntervalView>;

/** `settings.setWatchInterval`: bounds are checked by the core (5–3600 s). */
export const SetWatchInterval = z.strictObject({ seconds: z.number().int() });
export type SetWatchInterval = z.infer<typeof SetWatchInterval>;

/** Who this laptop's deployments name on the devices (`commissioner installation`). */
export const InstallationView = DeploymentOwner;
export type InstallationView = z.infer<typeof InstallationView>;

/** `settings.setEngineer`: empty goes back to the operating system's user name. */
export const SetEngineer = z.strictObject({ engineer: z.string().max(1000) });
export type SetEngineer = z.infer<typeof SetEngineer>;
