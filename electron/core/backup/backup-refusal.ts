import { CommissionerError } from '../../../shared/contract/contract-error';

/** Which part of a backup is at fault, for the refusal's reason (and the audit entry). */
export type BackupDamage =
  | 'not a backup'
  | 'newer format'
  | 'damaged header'
  | 'wrong passphrase'
  | 'damaged manifest'
  | 'damaged data'
  | 'truncated'
  | 'bytes after the end';

/**
 * A backup that cannot be opened or trusted: one sentence saying which part is at fault and
 * what to do. Restores refuse before anything reaches the data home.
 */
export function backupRefused(
  /** The file's name as people know it (an upload's own name, not its path in the data home). */
  name: string,
  damage: BackupDamage,
  detail = '',
  /** False for `backup inspect`, which restores nothing either way. */
  restoring = true,
): CommissionerError {
  const NOTHING = restoring ? 'nothing was restored' : 'it cannot be read';
  const message = ((): string => {
    switch (damage) {
      case 'not a backup':
        return `${name} is not a Commissioner backup (it does not begin as one): choose the file \`backup create\` wrote`;
      case 'newer format':
        return `${name} was made by ${detail}, which writes a newer backup format than this version reads: ${NOTHING}; restore it with that version or a newer one`;
      case 'damaged header':
        return `the header of ${name} (its readable start) is damaged${detail ? ` (${detail})` : ''}: ${NOTHING}; use another copy of the backup`;
      case 'wrong passphrase':
        return `the passphrase does not open ${name}: ${NOTHING}; give the passphrase it was made with, exactly as typed then`;
      case 'damaged manifest':
        return `the encrypted part of ${name} does not match its header: the start of it (the list of contents) was altered, or the header comes from another backup; ${NOTHING}: use another copy`;
      case 'damaged data':
        return `${name} is damaged ${detail}: its bytes there are not the ones the backup sealed; ${NOTHING}: use another copy`;
      case 'truncated':
        return `${name} ends before its last part: it was cut short (a copy that did not finish, a full disk); ${NOTHING}: copy the backup again in full`;
      case 'bytes after the end':
        return `${name} goes on after its sealed end: bytes were added to it; ${NOTHING}: use another copy`;
    }
  })();
  return new CommissionerError('refused', message, { reasons: [damage] });
}
