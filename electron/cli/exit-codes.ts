/** Exit codes shared by every command; each issue's contract names which ones a command uses. */
export const EXIT = {
  ok: 0,
  /** The command ran and found problems: invalid input, refused or conflicting items. */
  findings: 1,
  /** The command could not run: bad usage, or a path that is missing or unreadable. */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
