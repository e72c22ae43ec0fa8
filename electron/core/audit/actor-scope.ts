import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../../../shared/audit/audit-entry';

/** A face's name, when the actor is the station's own user. */
export type Face = Actor['via'];

const scope = new AsyncLocalStorage<Actor | Face>();

/**
 * Runs `fn` (and everything it starts, jobs included) as this actor: the browser host with
 * accounts passes the signed-in account; a face passes just its name and the actor is the
 * operating-system user with the station's engineer name. Kept free of other imports: the
 * CLI enters it before any command loads.
 */
export function runAsActor<T>(actor: Actor | Face, fn: () => T): T {
  return scope.run(actor, fn);
}

/** Whether some face already named who runs the current request. */
export function hasActor(): boolean {
  return scope.getStore() !== undefined;
}

/** Who the current scope names, if anyone. */
export function scopedActor(): Actor | Face | undefined {
  return scope.getStore();
}
