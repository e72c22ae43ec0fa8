import type { Actor } from './audit-entry';

/** Who did it, in one line: `Ana Ruiz (ana)@station-3 via desktop`. */
export function actorLabel(actor: Actor): string {
  const name = actor.engineer ? `${actor.engineer} (${actor.user})` : actor.user;
  return `${name}@${actor.host} via ${actor.via}`;
}
