/** Progress of an import job, as the CLI bar and the UI's job tray show it. */
export interface ImportProgress {
  source: string;
  phase: 'reading' | 'verifying' | 'committing' | 'done';
  /** Bytes handled in this phase, and the total when known. */
  bytes: number;
  totalBytes?: number;
  items: number;
  totalItems?: number;
}

export type ProgressListener = (progress: ImportProgress) => void;
