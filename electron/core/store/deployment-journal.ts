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
} from '../../../shared/contract/deployments';
import {
  DriftFinding,
  StatusError,
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
  state: MargoState;
  error: string | null;
  created_at: string;
  updated_at: string;
}

const SUMMARY_COLUMNS =
  'id, app_id, device, profile_id, version, revision, known_good, state, error, created_at, updated_at';

const SQL = namedStatements({
  list: `SELECT ${SUMMARY_COLUMNS} FROM deployments ORDER BY app_id, device`,
  byId: `SELECT ${SUMMARY_COLUMNS} FROM deployments WHERE id = ?`,
  byPrefix: `SELECT ${SUMMARY_COLUMNS} FROM deployments WHERE id LIKE ? ESCAPE '\\' LIMIT 2`,
  byAppAndDevice: `SELECT ${SUMMARY_COLUMNS} FROM deployments WHERE app_id = ? AND device = ?`,
  components:
    'SELECT name, state, error, drift, updated_at FROM deployment_components WHERE deployment_id = ? ORDER BY position',
  revisions:
    'SELECT revision, version, profile_id, digest, outcome, error, created_at FROM deployment_revisions WHERE deployment_id = ? ORDER BY revision',
  events: `SELECT at, revision, level, component, code, message FROM (
             SELECT seq, at, revision, level, component, code, message FROM deployment_events
              WHERE deployment_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
  revision:
    'SELECT revision, version, profile_id, deployment, digest, rendered, outcome FROM deployment_revisions WHERE deployment_id = ? AND revision = ?',
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
  insertRevision: `INSERT INTO deployment_revisions (deployment_id, revision, version, profile_id, deployment, digest, rendered, outcome, error, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, 'applying', NULL, ?)`,
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

function parseDrift(text: string | null): DriftFinding[] {
  return text === null ? [] : DriftFinding.array().parse(JSON.parse(text));
}

export function listDeployments(store: Store): DeploymentSummary[] {
  return (SQL(store.db).list.all() as DeploymentRow[]).map(toSummary);
}

export interface DeploymentRecord extends DeploymentSummary {
  knownGood: number | null;
  error: StatusError | null;
  createdAt: string;
}

function toRecord(row: DeploymentRow): DeploymentRecord {
  return {
    ...toSummary(row),
    knownGood: row.known_good,
    error: parseError(row.error),
    createdAt: row.created_at,
  };
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
      version: string;
      profile_id: string;
      digest: string;
      outcome: RevisionSummary['outcome'];
      error: string | null;
      created_at: string;
    }[]
  ).map((r) => ({
    revision: r.revision,
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
