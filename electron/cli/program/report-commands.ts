import type { ReportOptions } from '../commands/report';
import { collect, type Command, type CommandContext } from './command-context';

/** `report`: the commissioning report handed over with the plant. */
export function registerReportCommands(
  program: Command,
  { output, withStore }: CommandContext,
): void {
  program
    .command('report')
    .description(
      'write the commissioning report (devices, apps, versions, settings with secrets masked, digests, signatures, audit entries, sign-off lines) as PDF or HTML',
    )
    .option(
      '--device <names>',
      'the devices to report on, comma-separated (repeatable)',
      collect,
      [],
    )
    .option('--all', 'report on every device in the inventory')
    .option(
      '--since <time>',
      'audit entries from this time: 2026-12-01, 2026-12-01T08:00Z, or 12h / 7d back',
    )
    .option('-o, --output <file>', 'the file to write: .pdf or .html decides the format')
    .option('--json', 'print {file, format, digest, auditHead, devices: [{name, apps}]}')
    .action(async (options: ReportOptions) => {
      const { runReport } = await import('../commands/report');
      await withStore((store) => runReport(store, options, output));
    });
}
