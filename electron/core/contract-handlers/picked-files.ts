import { CommissionerError, notFound } from '../../../shared/contract/contract-error';
import { randomUUID } from 'node:crypto';
import type { PickedFile } from '../../../shared/contract/picked-file';
import type { ChosenPath } from './app-core-api';

/**
 * The files and folders the engineer chose (a native dialog in the desktop app, an upload in
 * the browser host), as tokens. The UI can name only what was chosen: it never hands the core
 * a path of its own making.
 */
export class PickedFiles {
  private readonly byToken = new Map<string, ChosenPath & { name: string }>();

  register(chosen: ChosenPath, name: string): PickedFile {
    const token = randomUUID();
    this.byToken.set(token, { ...chosen, name });
    return { token, name, kind: chosen.kind };
  }

  /** The path behind a token; `kind` when only a file (or only a folder) will do. */
  resolve(token: string, kind?: 'file' | 'folder'): ChosenPath & { name: string } {
    const found = this.byToken.get(token);
    if (!found) {
      throw notFound(
        'file',
        token,
        'that file is no longer known to the app (it was chosen before a restart?): choose it again',
      );
    }
    if (kind && found.kind !== kind) {
      throw new CommissionerError(
        'invalid-input',
        `${found.name} is a ${found.kind}, not a ${kind}`,
        {
          field: 'file',
        },
      );
    }
    return found;
  }
}
