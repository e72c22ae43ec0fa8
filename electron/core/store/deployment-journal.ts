import type { MargoState } from '../../../shared/compose/margo-state';
import { namedStatements } from './statements';
import type { Store } from './store';

export {
  ComponentStatus,
  DeploymentDetail,
  DeploymentEvent,
  DeploymentSummary,
  RevisionSummary,
  StatusError,
  TakenOver,
} from '../../../shared/contract/deployments';
import {
  DriftFinding,
  StatusError,
  TakenOver,
  type ComponentStatus,
  type DeploymentEvent,
  type DeploymentSummary,
  type RevisionSummary,
} from '../../../shared/contract/deployments';

interface DeploymentRow {
  id: string;
  app_id: string;
  device: string;
  profile_id: string;
  version: string;
  revision: number;
  known_good: number | null;
  history: number;
  state: MargoState;
  error: string | null;
  created_at: string;
  updated_at: string;
  taken_over: string | null;
}

const SUMMARY_COLUMNS =
  'id, app_id, device, profile_id, version, revision, known_good, history, state, error, created_at, updated_at, taken_over';

const SQL = namedStatements({
  list: `SELECT ${SUMMARY_COLUMNS} FROM deployments ORDER BY app_id, device`,
  listPresent: `SELECT ${SUMMARY_COLUMNS} FROM deployments WHERE state <> 'removed' ORDER BY app_id, device`,
  byId: `SELECT ${SUMMARY_COLUMNS} FROM deployments WHERE id = ?`,
  byPrefix: `SELECT ${SUMMARY_COLUMNS} FROM deployments WHERE id LIKE ? ESCAPE '\\' LIMIT 2`,
  byAppAndDevice: `SELECT ${SUMMARY_COLUMNS} FROM deployments WHERE app_id = ? AND device = ?`,
  components:
    'SELECT name, state, error, drift, updated_at FROM deployment_components WHERE deployment_id = ? ORDER BY position',
  revisions:
    'SELECT revision, history, version, profile_id, digest, outcome, error, created_at FROM deployment_revisions WHERE deployment_id = ? ORDER BY revision',
  events: `SELECT at, revision, level, component, code, message FROM (
             SELECT seq, at, revision, level, component, code, message FROM deployment_events
              WHERE deployment_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
  revision:
    'SELECT revision, history, version, profile_id, deployment, digest, rendered, outcome FROM deployment_revisions WHERE deployment_id = ? AND revision = ?',
  addEvent:
    'INSERT INTO deployment_events (deployment_id, revision, at, level, component, code, message) VALUES (?, ?, ?, ?, ?, ?, ?)',
  setState: 'UPDATE deployments SET state = ?, error = ?, updated_at = ? WHERE id = ?',
  clearComponents: 'DELETE FROM deployment_components WHERE deployment_id = ?',
  addComponent:
    'INSERT INTO deployment_components (deployment_id, name, position, state, error, drift, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  setRevisionOutcome:
    'UPDATE deployment_revisions SET outcome = ?, error = ? WHERE deployment_id = ? AND revision = ?',
  failApplying:
    "UPDATE deployment_revisions SET outcome = 'failed', error = ? WHERE deployment_id = ? AND revision = ? AND outcome = 'applying'",
  supersedeInstalled:
    "UPDATE deployment_revisions SET outcome = 'superseded' WHERE deployment_id = ? AND outcome = 'installed' AND revision <> ?",
  setCurrent:
    'UPDATE deployments SET revision = ?, version = ?, profile_id = ?, known_good = COALESCE(?, known_good), updated_at = ? WHERE id = ?',
  currentRevision: 'SELECT revision FROM deployments WHERE id = ?',
  lastRevision: 'SELECT MAX(revision) FROM deployment_revisions WHERE deployment_id = ?',
  insertDeployment: `INSERT INTO deployments (id, app_id, device, profile_id, version, revision, known_good, state, error, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, NULL, 'pending', NULL, ?, ?)`,
  insertRevision: `INSERT INTO deployment_revisions (deployment_id, revision, history, version, profile_id, deployment, digest, rendered, outcome, error, created_at)
                   VALUES (?, ?, (SELECT history FROM deployments WHERE id = ?), ?, ?, ?, ?, ?, 'applying', NULL, ?)`,
  endHistory:
    'UPDATE deployments SET history = history + 1, known_good = NULL, updated_at = ? WHERE id = ?',
  markRemoved:
    "UPDATE deployment_revisions SET outcome = 'removed' WHERE deployment_id = ? AND revision = ?",
  setTakenOver: 'UPDATE deployments SET taken_over = ?, updated_at = ? WHERE id = ?',
  hasRevision: 'SELECT 1 FROM deployment_revisions WHERE deployment_id = ? AND revision = ?',
  // Revisions read from a device join the deployment's current history.
  insertAdopted: `INSERT INTO deployment_revisions (deployment_id, revision, history, version, profile_id, deployment, digest, rendered, outcome, error, created_at)
                  VALUES (?, ?, (SELECT history FROM deployments WHERE id = ?), ?, ?, ?, ?, 'null', ?, NULL, ?)`,
  adoptCurrent: `UPDATE deployments SET revision = ?, version = ?, profile_id = ?, state = ?, known_good = ?, updated_at = ? WHERE id = ?`,
  startRevision: `UPDATE deployments SET revision = ?, version = ?, profile_id = ?, state = 'installing', error = NULL, updated_at = ? WHERE id = ?`,
});

function toSummary(row: DeploymentRow): DeploymentSummary {
  return {
    id: row.id,
    appId: row.app_id,
    version: row.version,
    device: row.device,
    profile: row.profile_id,
    state: row.state,
    revision: row.revision,
    updatedAt: row.updated_at,
  };
}

function parseError(text: string | null): StatusError | null {
  return text === null ? null : StatusError.parse(JSON.parse(text));
}

/** The deployments, removed ones only when asked for (they left the device). */
export function listDeployments(
  store: Store,
  options: { includeRemoved?: boolean } = {},
): DeploymentSummary[] {
  const sql = SQL(store.db);
  return ((options.includeRemoved ? sql.list : sql.listPresent).all() as DeploymentRow[]).map(
    toSummary,
  );
}

function parseDrift(text: string | null): DriftFinding[] {
  return text === null ? [] : DriftFinding.array().parse(JSON.parse(text));
}

export interface DeploymentRecord extends DeploymentSummary {
  knownGood: number | null;
  /** Which history the deployment is in: a removal ends one, the next deploy is in the next. */
  history: number;
  error: StatusError | null;
  createdAt: string;
  /** Another installation deployed over it since, as the device's record says. */
  takenOver: TakenOver | null;
}

function toRecord(row: DeploymentRow): DeploymentRecord {
  return {
    ...toSummary(row),
    knownGood: row.known_good,
    history: row.history,
    error: parseError(row.error),
    createdAt: row.created_at,
    takenOver: row.taken_over === null ? null : TakenOver.parse(JSON.parse(row.taken_over)),
  };
}

/** Marks (or, with null, clears) that another installation took the deployment over. */
export function setTakenOver(
  store: Store,
  deploymentId: string,
  takenOver: TakenOver | null,
): void {
  SQL(store.db).setTakenOver.run(
    takenOver === null ? null : JSON.stringify(takenOver),
    new Date().toISOString(),
    deploymentId,
  );
  store.changes.announce('deployments');
}

/** A deployment by id, or by a unique prefix of it (at least 4 characters, as git allows). */
export function findDeployment(store: Store, idOrPrefix: string): DeploymentRecord | undefined {
  const exact = SQL(store.db).byId.get(idOrPrefix) as DeploymentRow | undefined;
  if (exact) return toRecord(exact);
  if (idOrPrefix.length < 4) return undefined;
  const rows = SQL(store.db).byPrefix.all(
    `${idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
  ) as DeploymentRow[];
  return rows.length === 1 ? toRecord(rows[0] as DeploymentRow) : undefined;
}

export function deploymentOf(
  store: Store,
  appId: string,
  device: string,
): DeploymentRecord | undefined {
  const row = SQL(store.db).byAppAndDevice.get(appId, device) as DeploymentRow | undefined;
  return row ? toRecord(row) : undefined;
}

export function componentStatuses(store: Store, deploymentId: string): ComponentStatus[] {
  return (
    SQL(store.db).components.all(deploymentId) as {
      name: string;
      state: MargoState;
      error: string | null;
      drift: string | null;
      updated_at: string;
    }[]
  ).map((r) => ({
    name: r.name,
    state: r.state,
    error: parseError(r.error),
    updatedAt: r.updated_at,
    drift: parseDrift(r.drift),
  }));
}

export function revisionsOf(store: Store, deploymentId: string): RevisionSummary[] {
  return (
    SQL(store.db).revisions.all(deploymentId) as {
      revision: number;
      history: number;
      version: string;
      profile_id: string;
      digest: string;
      outcome: RevisionSummary['outcome'];
      error: string | null;
      created_at: string;
    }[]
  ).map((r) => ({
    revision: r.revision,
    history: r.history,
    version: r.version,
    profile: r.profile_id,
    digest: r.digest,
    outcome: r.outcome,
    error: parseError(r.error),
    createdAt: r.created_at,
  }));
}

export function eventsOf(store: Store, deploymentId: string, limit = 200): DeploymentEvent[] {
  return (SQL(store.db).events.all(deploymentId, limit) as DeploymentEvent[]).map((e) => ({
    ...e,
  }));
}

/** A stored revision: the deployment bytes (secrets included) and what was rendered from them. */
export interface StoredRevision {
  revision: number;
  history: number;
  version: string;
  profileId: string;
  deployment: string;
  digest: string;
  rendered: unknown;
  outcome: RevisionSummary['outcome'];
}

export function storedRevision(
  store: Store,
  deploymentId: string,
  revision: number,
): StoredRevision | undefined {
  const row = SQL(store.db).revision.get(deploymentId, revision) as
    | {
        revision: number;
        history: number;
        version: string;
        profile_id: string;
        deployment: string;
        digest: string;
        rendered: string;
        outcome: RevisionSummary['outcome'];
      }
    | undefined;
  return row
    ? {
        revision: row.revision,
        history: row.history,
        version: row.version,
        profileId: row.profile_id,
        deployment: row.deployment,
        digest: row.digest,
        rendered: JSON.parse(row.rendered) as unknown,
        outcome: row.outcome,
      }
    : undefined;
}

/**
 * Writes what happens to a deployment: its state, its components, its revisions' outcomes and
 * its timeline. Every write announces `deployments`, so open views follow live.
 */
export class DeploymentJournal {
  constructor(
    private readonly store: Store,
    readonly deploymentId: string,
  ) {}

  private changed(): void {
    this.store.changes.announce('deployments');
  }

  event(
    level: DeploymentEvent['level'],
    message: string,
    extra: { revision?: number; component?: string; code?: string } = {},
  ): void {
    SQL(this.store.db).addEvent.run(
      this.deploymentId,
      extra.revision ?? null,
      new Date().toISOString(),
      level,
      extra.component ?? null,
      extra.code ?? null,
      message,
    );
    this.changed();
  }

  setState(state: MargoState, error: StatusError | null = null): void {
    SQL(this.store.db).setState.run(
      state,
      error ? JSON.stringify(error) : null,
      new Date().toISOString(),
      this.deploymentId,
    );
    this.changed();
  }

  /** The components' states; `drift` is what differs on the device (none when left out). */
  setComponents(
    components: {
      name: string;
      state: MargoState;
      error?: StatusError | null;
      drift?: readonly DriftFinding[];
    }[],
  ): void {
    const now = new Date().toISOString();
    const sql = SQL(this.store.db);
    this.store.db.transaction(() => {
      sql.clearComponents.run(this.deploymentId);
      components.forEach((c, i) =>
        sql.addComponent.run(
          this.deploymentId,
          c.name,
          i,
          c.state,
          c.error ? JSON.stringify(c.error) : null,
          c.drift && c.drift.length > 0 ? JSON.stringify(c.drift) : null,
          now,
        ),
      );
    })();
    this.changed();
  }

  setRevisionOutcome(
    revision: number,
    outcome: RevisionSummary['outcome'],
    error: StatusError | null = null,
  ): void {
    SQL(this.store.db).setRevisionOutcome.run(
      outcome,
      error ? JSON.stringify(error) : null,
      this.deploymentId,
      revision,
    );
    this.changed();
  }

  /** A revision that was being applied when its process died: failed, with the reason. */
  failApplyingRevision(revision: number, error: StatusError): void {
    SQL(this.store.db).failApplying.run(JSON.stringify(error), this.deploymentId, revision);
    this.changed();
  }

  /**
   * A revision runs on the device: it is the installed one (any earlier installed revision is
   * superseded), the current one, and the known-good one a failed update goes back to.
   */
  markInstalled(revision: number, version: string, profileId: string): void {
    SQL(this.store.db).supersedeInstalled.run(this.deploymentId, revision);
    this.setRevisionOutcome(revision, 'installed');
    this.setCurrent(revision, version, profileId, revision);
  }

  /**
   * The deployment left its device: `revision` (the last one it ran) is marked `removed` and
   * the history ends — nothing is known-good any more, and the next deploy starts a new history
   * that no rollback leaves. Revision numbers keep counting, so a number names one revision.
   */
  endHistory(revision: number): void {
    const sql = SQL(this.store.db);
    this.store.db.transaction(() => {
      sql.markRemoved.run(this.deploymentId, revision);
      sql.endHistory.run(new Date().toISOString(), this.deploymentId);
    })();
    this.changed();
  }

  /** Points the deployment at a revision (after an apply, a rollback). */
  setCurrent(revision: number, version: string, profileId: string, knownGood?: number): void {
    SQL(this.store.db).setCurrent.run(
      revision,
      version,
      profileId,
      knownGood ?? null,
      new Date().toISOString(),
      this.deploymentId,
    );
    this.changed();
  }
}

/**
 * Records a new revision (creating the deployment on its first one) and makes it current,
 * in one transaction: numbers never repeat, and a crash leaves either both rows or neither.
 */
export function addRevision(
  store: Store,
  input: {
    id: string;
    appId: string;
    device: string;
    profileId: string;
    version: string;
    deployment: string;
    digest: string;
    rendered: unknown;
  },
): number {
  const now = new Date().toISOString();
  const sql = SQL(store.db);
  const revision = store.db
    .transaction(() => {
      const existing = sql.currentRevision.get(input.id) as { revision: number } | undefined;
      const last = sql.lastRevision.pluck().get(input.id) as number | null;
      const next = (last ?? 0) + 1;
      if (!existing) {
        sql.insertDeployment.run(
          input.id,
          input.appId,
          input.device,
          input.profileId,
          input.version,
          next,
          now,
          now,
        );
      }
      sql.insertRevision.run(
        input.id,
        next,
        input.id,
        input.version,
        input.profileId,
        input.deployment,
        input.digest,
        JSON.stringify(input.rendered),
        now,
      );
      sql.startRevision.run(next, input.version, input.profileId, now, input.id);
      return next;
    })
    .immediate();
  store.changes.announce('deployments');
  return revision;
}

/** A revision as another installation recorded it on the device (secrets masked, no render). */
export interface AdoptedRevision {
  revision: number;
  version: string;
  profileId: string;
  /** The ApplicationDeployment, secret values masked. */
  deployment: string;
  digest: string;
  outcome: RevisionSummary['outcome'];
  createdAt: string;
}

/**
 * Takes revisions read from a device's record into this laptop's records (creating the
 * deployment when it has none), in one transaction; revisions already recorded stay as they
 * are. Adopted revisions carry no rendered compose models: what their files were is not on
 * the device, so they can be looked at and deployed over, not rolled back to. Returns how many
 * were added.
 */
export function adoptRevisions(
  store: Store,
  input: {
    id: string;
    appId: string;
    device: string;
    current: { revision: number; version: string; profileId: string; state: MargoState };
    revisions: readonly AdoptedRevision[];
  },
): number {
  const now = new Date().toISOString();
  const sql = SQL(store.db);
  const added = store.db
    .transaction(() => {
      const existing = sql.currentRevision.get(input.id) as { revision: number } | undefined;
      if (!existing) {
        sql.insertDeployment.run(
          input.id,
          input.appId,
          input.device,
          input.current.profileId,
          input.current.version,
          input.current.revision,
          now,
          now,
        );
      }
      let count = 0;
      for (const r of input.revisions) {
        if (sql.hasRevision.get(input.id, r.revision)) continue;
        sql.insertAdopted.run(
          input.id,
          r.revision,
          input.id,
          r.version,
          r.profileId,
          r.deployment,
          r.digest,
          r.outcome,
          r.createdAt,
        );
        count++;
      }
      if (!existing) {
        sql.adoptCurrent.run(
          input.current.revision,
          input.current.version,
          input.current.profileId,
          input.current.state,
          // No known-good revision: adopted ones cannot be restored from here (no compose files).
          null,
          now,
          input.id,
        );
      }
      return count;
    })
    .immediate();
  store.changes.announce('deployments');
  return added;
}
