import type { Command } from 'commander';
import type { Store } from '../../core/store/store';
import type { ExitCode } from '../exit-codes';
import type { Output } from '../output';

/** What every group of commands needs from the program: where to write, how to end, the store. */
export interface CommandContext {
  output: Output;
  setExit: (code: ExitCode) => void;
  /** Opens the store for one command and closes it after, whatever happens. */
  withStore: (run: (store: Store) => Promise<ExitCode> | ExitCode) => Promise<void>;
  readStdin: () => Promise<string>;
}

/** commander's way to take a repeatable option. */
export const collect = (value: string, previous: string[]) => [...previous, value];

export type { Command };
