import { runCli } from './run-cli';

/**
 * Sets up the laptop's trust store and policies of a data home the way an engineer does, with
 * the `trust` commands (so tests of import and catalog do not depend on how trust is stored).
 */
export function trustCommands(home: string, cwd?: string) {
  const trust = async (args: string[]) => {
    const run = await runCli(['trust', ...args], {
      env: { COMMISSIONER_HOME: home },
      ...(cwd ? { cwd } : {}),
    });
    if (run.code !== 0)
      throw new Error(`trust ${args.join(' ')} exited ${run.code}: ${run.stderr.trim()}`);
    return run;
  };
  return {
    addCa: (name: string, pemPath: string) => trust(['add', name, '--type', 'ca', pemPath]),
    remove: (name: string) => trust(['remove', name, '--yes']),
    policy: (scope: string, level: 'strict' | 'audit' | 'skip', trustNames: string[] = []) =>
      trust([
        'policy',
        'set',
        scope,
        '--level',
        level,
        ...trustNames.flatMap((n) => ['--trust', n]),
      ]),
  };
}
