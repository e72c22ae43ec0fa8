import type { DeviceOutcomeView } from '../../../shared/contract/deploy';

type OutcomeState = DeviceOutcomeView['state'];

/** How a device ended in a deploy, rollback or removal: a word, a mark and a colour. */
export const OUTCOME_TEXT: Record<
  OutcomeState,
  { word: string; mark: string; color: string; problem: boolean }
> = {
  installed: { word: 'installed', mark: '✓', color: 'success.main', problem: false },
  unchanged: { word: 'unchanged', mark: '=', color: 'text.secondary', problem: false },
  // A Margo device pulls its desired state: "placed" until it reports.
  placed: { word: 'placed, waiting for the device', mark: '→', color: 'info.main', problem: false },
  removed: { word: 'removed', mark: '○', color: 'text.secondary', problem: false },
  'rolled-back': { word: 'rolled back', mark: '↶', color: 'warning.main', problem: true },
  failed: { word: 'failed', mark: '✗', color: 'error.main', problem: true },
  refused: { word: 'refused', mark: '⊘', color: 'error.main', problem: true },
};

const ORDER: OutcomeState[] = [
  'installed',
  'placed',
  'unchanged',
  'removed',
  'rolled-back',
  'failed',
  'refused',
];

/** A job "succeeded" as a job even when devices failed: those are its problems. */
export function outcomesHaveProblems(outcomes: readonly DeviceOutcomeView[]): boolean {
  return outcomes.some((o) => OUTCOME_TEXT[o.state].problem);
}

/** "2 installed, 1 rolled back" (the non-empty parts). */
export function outcomeSummary(outcomes: readonly DeviceOutcomeView[]): string {
  if (outcomes.length === 0) return 'no device was touched';
  return ORDER.map((state) => [state, outcomes.filter((o) => o.state === state).length] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${OUTCOME_TEXT[state].word}`)
    .join(', ');
}
