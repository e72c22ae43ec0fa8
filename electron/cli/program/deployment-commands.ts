import type { DeployOptions } from '../commands/deploy';
import type { RenderOptions } from '../commands/deployments';
import { collect, type Command, type CommandContext } from './command-context';

/** `config`, `deployments`, `deploy`: configuring, rendering and deploying. */
export function registerDeploymentCommands(
  program: Command,
  { output, withStore }: CommandContext,
): void {
  const config = program
    .command('config')
    .description('the configuration forms of applications (settings, rules, defaults)');
  config
    .command('schema')
    .description('the configuration form of an application as JSON Schema and uiSchema')
    .argument('<app>', 'id or id@version')
    .option('--profile <id>', 'the deployment profile (needed when the application has several)')
    .option('--json', 'print {schema, uiSchema, …} as one JSON object')
    .action(async (ref: string, options: { profile?: string; json?: boolean }) => {
      const { runConfigSchema } = await import('../commands/config');
      await withStore((store) => runConfigSchema(store, ref, options, output));
    });
  config
    .command('set')
    .description('set a station setting: engineer (the name put on deployments and audit entries)')
    .argument('<setting>', 'engineer')
    .argument('<value>', 'the new value (an empty one: the OS user name again)')
    .option('--json', 'print {installation, engineer, host}')
    .action(async (setting: string, value: string, options: { json?: boolean }) => {
      const { runConfigSet } = await import('../commands/station-config');
      await withStore((store) => runConfigSet(store, setting, value, options, output));
    });
  config
    .command('get')
    .description('print a station setting: engineer')
    .argument('<setting>', 'engineer')
    .option('--json', 'print {engineer}')
    .action(async (setting: string, options: { json?: boolean }) => {
      const { runConfigGet } = await import('../commands/station-config');
      await withStore((store) => runConfigGet(store, setting, options, output));
    });

  const deployments = program
    .command('deployments')
    .description('ApplicationDeployments: the desired state of an application on a device');
  deployments
    .command('render')
    .description('build the ApplicationDeployment YAML of an application for a device')
    .argument('<app>', 'id or id@version')
    .requiredOption(
      '--device <id>',
      'the device id, written as given into metadata.deviceId (need not be in the inventory)',
    )
    .option('--profile <id>', 'the deployment profile (needed when the application has several)')
    .option(
      '--set <parameter=value>',
      'a parameter value, e.g. pollFrequency=60; lists as a,b or [a, b] (repeatable)',
      collect,
      [],
    )
    .option('--values <file>', 'a YAML file of parameter values (parameter: value); --set wins')
    .option(
      '-o, --output <file>',
      'write the deployment (secrets included) to a file only you can read',
    )
    .option(
      '--update <deployment.yaml>',
      'update this installed deployment: keep its id and names, refuse changes to immutable settings',
    )
    .option('--id <uuid>', 'the deployment id (default: derived from application and device)')
    .option('--json', 'print {valid, id, digest, yaml, warnings} or {valid, errors} as JSON')
    .action(async (ref: string, options: RenderOptions) => {
      const { runDeploymentsRender } = await import('../commands/deployments');
      await withStore((store) => runDeploymentsRender(store, ref, options, output));
    });

  deployments
    .command('list')
    .description('the deployments on their devices: application, device, state, revision')
    .option(
      '--refresh',
      'ask every device with deployments first: record what runs and what changed outside Commissioner',
    )
    .option('--all', 'removed deployments too')
    .option(
      '--json',
      'print a JSON array of {id, appId, version, device, profile, state, revision, updatedAt} (with --refresh also drift, checkedAt)',
    )
    .action(async (options: { json?: boolean; all?: boolean; refresh?: boolean }) => {
      const { runDeploymentsList } = await import('../commands/deployment-admin');
      await withStore((store) => runDeploymentsList(store, options, output));
    });
  deployments
    .command('watch-interval')
    .description(
      'how often the open app (desktop or browser) asks each device with deployments what runs; with a number, set it',
    )
    .argument('[seconds]', 'whole seconds, 5 to 3600 (default 30)')
    .option('--json', 'print {seconds} as JSON')
    .action(async (seconds: string | undefined, options: { json?: boolean }) => {
      const { runWatchInterval } = await import('../commands/watch-interval');
      await withStore((store) => runWatchInterval(store, seconds, options, output));
    });
  deployments
    .command('show')
    .description('one deployment: state per component, revisions, timeline, its YAML')
    .argument('<id>', 'deployment id (or a unique prefix of 4+ characters)')
    .option('--refresh', 'ask the device first: record what its containers say now')
    .option('--verbose', 'also print what the device said behind a failure (its raw error)')
    .option('--json', 'print one JSON object')
    .action(
      async (id: string, options: { json?: boolean; refresh?: boolean; verbose?: boolean }) => {
        const { runDeploymentsShow } = await import('../commands/deployment-admin');
        await withStore((store) => runDeploymentsShow(store, id, options, output));
      },
    );
  deployments
    .command('logs')
    .description("what a deployment's containers printed last")
    .argument('<id>', 'deployment id (or a unique prefix)')
    .option('--component <name>', 'only this component')
    .option('--service <name>', 'only this service')
    .option('--tail <lines>', 'lines per container (default 200)')
    .option('--follow', 'then print what the containers print, as they do, until Ctrl-C')
    .option('--output <file>', 'write every line of every container to this file instead')
    .action(
      async (
        id: string,
        options: {
          component?: string;
          service?: string;
          tail?: string;
          follow?: boolean;
          output?: string;
        },
      ) => {
        const { runDeploymentsLogs } = await import('../commands/deployment-admin');
        await withStore((store) => runDeploymentsLogs(store, id, options, output));
      },
    );
  deployments
    .command('rollback')
    .description('run the previous known-good revision again')
    .argument('<id>', 'deployment id (or a unique prefix)')
    .option('--take-over', 'also when another Commissioner installation deployed it since')
    .option('--yes', 'do not ask for confirmation')
    .option('--verbose', 'also print what the device said behind a failure (its raw error)')
    .option('--json', 'print {id, from, to, ok, error} as JSON')
    .action(
      async (
        id: string,
        options: { yes?: boolean; json?: boolean; verbose?: boolean; takeOver?: boolean },
      ) => {
        const { runDeploymentsRollback } = await import('../commands/deployment-admin');
        await withStore((store) => runDeploymentsRollback(store, id, options, output));
      },
    );
  deployments
    .command('remove')
    .description('remove a deployment from its device (data volumes stay unless purged)')
    .argument('<id>', 'deployment id (or a unique prefix)')
    .option('--purge-volumes', 'also delete its data volumes')
    .option('--take-over', 'also when another Commissioner installation deployed it since')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print what was removed as JSON')
    .action(
      async (
        id: string,
        options: { purgeVolumes?: boolean; yes?: boolean; json?: boolean; takeOver?: boolean },
      ) => {
        const { runDeploymentsRemove } = await import('../commands/deployment-admin');
        await withStore((store) => runDeploymentsRemove(store, id, options, output));
      },
    );

  deployments
    .command('adopt')
    .description(
      "take a deployment another laptop made into this laptop's records (the device is not touched)",
    )
    .argument('<device>', 'device name')
    .argument('[id]', 'deployment id (default: every one found there that this laptop lacks)')
    .option('--json', 'print a JSON array of {id, appId, revisions}')
    .action(async (device: string, id: string | undefined, options: { json?: boolean }) => {
      const { runDeploymentsAdopt } = await import('../commands/device-deployments');
      await withStore((store) => runDeploymentsAdopt(store, device, id, options, output));
    });

  program
    .command('installation')
    .description('who this laptop is on the devices: installation id, engineer name, host name')
    .option('--engineer <name>', 'the engineer name put on deployments (default: the OS user name)')
    .option('--json', 'print {installation, engineer, host}')
    .action(async (options: { engineer?: string; json?: boolean }) => {
      const { runInstallation } = await import('../commands/device-deployments');
      await withStore((store) => runInstallation(store, options, output));
    });

  program
    .command('deploy')
    .description('deploy an application (compose profile) to Docker devices: plan, confirm, apply')
    .argument('<app>', 'id or id@version')
    .requiredOption('--device <name[,name…]>', 'devices of the inventory (repeatable)', collect, [])
    .option(
      '--profile <id>',
      'the deployment profile (needed when the application has several compose profiles)',
    )
    .option(
      '--set <parameter=value>',
      'a parameter value (repeatable); on an update the others keep their installed values',
      collect,
      [],
    )
    .option('--values <file>', 'a YAML file of parameter values (parameter: value); --set wins')
    .option('--dry-run', 'show what would change on each device, change nothing')
    .option('--no-rollback', 'do not restore the previous revision when the new one fails')
    .option(
      '--allow-host-access',
      'allow the access to the devices themselves that the plan shows (privileged, Docker socket, device folders…)',
    )
    .option(
      '--take-over',
      'deploy over a deployment another Commissioner installation made (the plan names who and when)',
    )
    .option('--yes', 'do not ask for confirmation')
    .option('--verbose', 'also print what the device said behind a failure (its raw error)')
    .option('--json', 'print one JSON array, one object per device')
    .action(async (ref: string, options: DeployOptions) => {
      const { runDeploy } = await import('../commands/deploy');
      await withStore((store) => runDeploy(store, ref, options, output));
    });
}
