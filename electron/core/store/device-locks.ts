import { CommissionerError } from '../../../shared/contract/contract-error';
import { randomUUID } from 'node:crypto';
import { namedStatements } from './statements';
import type { Store } from './store';
import { currentProcess, isAlive, type ProcessIdentity } from './process-identity';

export type OperationKind = 'deploy' | 'rollback' | 'remove';

/** Another operation holds the device (in this process or another, on this laptop). */
export class DeviceBusyError extends CommissionerError<'device-busy'> {
  constructor(device: string, message: string) {
    super('device-busy', message, { device });
  }
}

export interface DeviceOperation {
  id: string;
  device: string;
  /** Marks the operation alive (the UI shows how long it has been running). */
  heartbeat(): void;
  /** Ends it and frees the device. */
  finish(state: 'succeeded' | 'failed', error?: string): void;
}

const SQL = namedStatements({
  runningOn:
    "SELECT id, kind, deployment_id, owner_pid, owner_host, owner_start, started_at FROM device_operations WHERE device = ? AND state = 'running'",
  running:
    "SELECT id, kind, deployment_id, owner_pid, owner_host, owner_start, started_at, device FROM device_operations WHERE state = 'running'",
  begin: `INSERT INTO device_operations (id, device, deployment_id, kind, state, owner_pid, owner_host, owner_start, started_at, heartbeat_at)
          VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
  heartbeat: 'UPDATE device_operations SET heartbeat_at = ? WHERE id = ?',
  finish:
    "UPDATE device_operations SET state = ?, ended_at = ?, error = ? WHERE id = ? AND state = 'running'",
  interrupt:
    "UPDATE device_operations SET state = 'interrupted', ended_at = ?, error = ? WHERE id = ?",
});

interface RunningRow {
  id: string;
  kind: OperationKind;
  deployment_id: string | null;
  owner_pid: number;
  owner_host: string;
  owner_start: string;
  started_at: string;
}

/**
 * Takes the device for one operation, or says who has it. The lock is a row: a partial unique
 * index lets one `running` operation per device exist, whichever process (CLI, browser host,
 * desktop app) inserts it. A running operation whose process has died is ended as
 * `interrupted` and the device taken over; that process's deployment is marked by
 * `recoverInterruptedOperations`.
 */
export function beginDeviceOperation(
  store: Store,
  device: string,
  kind: OperationKind,
  deploymentId?: string,
): DeviceOperation {
  const owner = currentProcess();
  const id = randomUUID();
  const take = store.db.transaction(() => {
    const running = SQL(store.db).runningOn.get(device) as RunningRow | undefined;
    if (running) {
      const holder: ProcessIdentity = {
        host: running.owner_host,
        pid: running.owner_pid,
        start: running.owner_start,
      };
      if (isAlive(holder)) {
        throw new DeviceBusyError(
          device,
          `device ${device} is busy: a ${running.kind} started at ${running.started_at} by process ${running.owner_pid} on ${running.owner_host} is still running; wait for it to finish`,
        );
      }
      endAsInterrupted(store, running);
    }
    const now = new Date().toISOString();
    SQL(store.db).begin.run(
      id,
      device,
      deploymentId ?? null,
      kind,
      owner.pid,
      owner.host,
      owner.start,
      now,
      now,
    );
  });
  take.immediate();
  return {
    id,
    device,
    heartbeat: () => {
      SQL(store.db).heartbeat.run(new Date().toISOString(), id);
    },
    finish: (state, error) => {
      SQL(store.db).finish.run(state, new Date().toISOString(), error ?? null, id);
    },
  };
}

function endAsInterrupted(store: Store, row: RunningRow): void {
  SQL(store.db).interrupt.run(
    new Date().toISOString(),
    `Commissioner (process ${row.owner_pid}) stopped during this ${row.kind}`,
    row.id,
  );
}

/** Running operations whose process is gone: what a crash left behind. */
export function endInterruptedOperations(store: Store): {
  id: string;
  device: string;
  kind: OperationKind;
  deploymentId: string | null;
  pid: number;
  startedAt: string;
}[] {
  const rows = SQL(store.db).running.all() as (RunningRow & { device: string })[];
  return rows
    .filter((r) => !isAlive({ host: r.owner_host, pid: r.owner_pid, start: r.owner_start }))
    .map((r) => {
      endAsInterrupted(store, r);
      return {
        id: r.id,
        device: r.device,
        kind: r.kind,
        deploymentId: r.deployment_id,
        pid: r.owner_pid,
        startedAt: r.started_at,
      };
    });
}

/** Whether an operation (deploy, rollback, remove) runs on the device now, in any process. */
export function deviceBusy(store: Store, device: string): boolean {
  return SQL(store.db).runningOn.get(device) !== undefined;
}
