import type { Command, CommandContext } from './command-context';

/** `audit`: the tamper-evident record of what was changed, by whom, when. */
export function registerAuditCommands(
  program: Command,
  { output, setExit, withStore }: CommandContext,
): void {
  const audit = program
    .command('audit')
    .description('the audit trail: every change made with Commissioner, who made it and when');
  audit
    .command('verify')
    .description(
      "recompute the audit trail's hash chain; exit 1 naming the first entry altered, removed or reordered",
    )
    .option('--file <export.jsonl>', "check an exported trail instead of this data home's")
    .option('--json', 'print {intact, entries, head} or {intact, seq, problem, message}')
    .action(async (options: { file?: string; json?: boolean }) => {
      const { runAuditVerify } = await import('../commands/audit');
      if (options.file !== undefined) setExit(runAuditVerify(undefined, options, output));
      else await withStore((store) => runAuditVerify(store, options, output));
    });
  audit
    .command('list')
    .description('the audit entries, oldest first')
    .option('--since <time>', 'only entries at or after this date or time (2026-12-06T14:00Z)')
    .option('--device <name>', 'only entries about this device')
    .option('--json', 'print a JSON array of entries (with their chain)')
    .action(async (options: { since?: string; device?: string; json?: boolean }) => {
      const { runAuditList } = await import('../commands/audit');
      await withStore((store) => runAuditList(store, options, output));
    });
  audit
    .command('export')
    .description('write the audit trail with its chain as JSON lines, to verify elsewhere')
    .requiredOption('-o, --output <file.jsonl>', 'the file to write')
    .action(async (options: { output: string }) => {
      const { runAuditExport } = await import('../commands/audit');
      await withStore((store) => runAuditExport(store, options, output));
    });
}
