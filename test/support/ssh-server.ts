import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const SSHD = '/usr/sbin/sshd';
/** sshd refuses to start without its privilege separation directory (the package's own). */
const PRIVSEP_DIR = '/run/sshd';
const START_DEADLINE_MS = 10_000;
const STOP_GRACE_MS = 3_000;

/** A key pair made by ssh-keygen, with OpenSSH's own fingerprint of it. */
export interface SshKeyPair {
  path: string;
  publicPath: string;
  publicKey: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

/** A real OpenSSH server (Debian's openssh-server) beside a fleet daemon. */
export interface SshServer {
  host: string;
  port: number;
  /** `ssh://root@10.77.N.2:2222`. */
  url: string;
  /** The host key it presents now. */
  hostKey: SshKeyPair;
  /** A key it accepts for root. */
  clientKey: SshKeyPair;
  /** Stops it; with `newHostKey`, it comes back with another host key (a reinstalled device). */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export interface SshServerOptions {
  /** Where its keys, configuration and log go (removed by stop()). */
  dir: string;
  /** The network namespace to run in (a fleet daemon's), or none for this machine's. */
  namespace?: string;
  host: string;
  port: number;
  /** The Docker socket `docker system dial-stdio` reaches on "the device". */
  dockerSocket: string;
}

/** Makes an ed25519 key pair (no passphrase unless given) and reads its fingerprint. */
export async function makeSshKey(dir: string, name: string, passphrase = ''): Promise<SshKeyPair> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  await rm(path, { force: true });
  await rm(`${path}.pub`, { force: true });
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', path]);
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`]);
  const fingerprint = stdout.split(/\s+/)[1] ?? '';
  return {
    path,
    publicPath: `${path}.pub`,
    publicKey: readFileSync(`${path}.pub`, 'utf8').trim(),
    fingerprint,
  };
}

/**
 * Starts sshd (`-D`, in the foreground, a child of this process that dies with it) listening
 * on host:port inside `namespace`, with a host key of its own, root's login by key only
 * (`clientKey`), and DOCKER_HOST pointing at the device's daemon, so `docker system
 * dial-stdio` over SSH reaches it as on a real device. Resolves once it greets.
 *
 * The login is root's: a user of its own would have to be added to this machine's
 * /etc/passwd (and might be left there); what the tests check (host keys, which keys log in,
 * the Engine API carried over SSH) does not depend on the user. With UsePAM off, sshd refuses
 * an account whose password is locked with "!": the start then fails saying so.
 */
export async function startSshServer(options: SshServerOptions): Promise<SshServer> {
  const { dir, host, port } = options;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(PRIVSEP_DIR)) mkdirSync(PRIVSEP_DIR, { mode: 0o755 });
  checkRootCanLogIn();
  let hostKey = await makeSshKey(dir, 'host-key');
  const clientKey = await makeSshKey(dir, 'client-key');
  writeFileSync(join(dir, 'authorized_keys'), `${clientKey.publicKey}\n`, { mode: 0o600 });
  const config = join(dir, 'sshd_config');
  const log = join(dir, 'sshd.log');
  const writeConfig = () =>
    writeFileSync(
      config,
      [
        `ListenAddress ${host}:${port}`,
        `HostKey ${hostKey.path}`,
        'PidFile none',
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        // The files live under the test's temporary folder, which is not root's home.
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'PrintMotd no',
        `SetEnv DOCKER_HOST=unix://${options.dockerSocket}`,
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
  writeConfig();
  let child: ChildProcess | undefined;
  const start = async () => {
    const fd = openSync(log, 'a');
    try {
      const command = ['setpriv', '--pdeathsig', 'KILL', '--', SSHD, '-D', '-e', '-f', config];
      child = options.namespace
        ? spawn('nsenter', [`--net=/run/netns/${options.namespace}`, '--', ...command], {
            stdio: ['ignore', fd, fd],
          })
        : spawn(command[0]!, command.slice(1), { stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    await waitForGreeting(host, port, child, log);
  };
  const stopChild = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const force = setTimeout(() => c.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(force);
  };
  await start();
  const server: SshServer = {
    host,
    port,
    url: `ssh://root@${host}:${port}`,
    hostKey,
    clientKey,
    async restart(restartOptions = {}) {
      await stopChild();
      if (restartOptions.newHostKey) {
        hostKey = await makeSshKey(dir, 'host-key');
        server.hostKey = hostKey;
        writeConfig();
      }
      await start();
    },
    async stop() {
      await stopChild();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return server;
}

function checkRootCanLogIn(): void {
  let shadow: string;
  try {
    shadow = readFileSync('/etc/shadow', 'utf8');
  } catch {
    return;
  }
  const password = /^root:([^:]*):/m.exec(shadow)?.[1] ?? '';
  if (password.startsWith('!')) {
    throw new Error(
      'root\'s password is locked with "!" in /etc/shadow: sshd (UsePAM no) refuses every login of a locked account, keys included. Unlock it for key logins with: usermod -p "*" root',
    );
  }
}

async function waitForGreeting(
  host: string,
  port: number,
  child: ChildProcess | undefined,
  log: string,
): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    if (await greets(host, port)) return;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`sshd exited: ${tail(log)}`);
    }
    if (Date.now() > deadline) throw new Error(`sshd did not start: ${tail(log)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether an SSH server answers there with its identification line. */
function greets(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.toString('latin1').startsWith('SSH-')));
  });
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().slice(-2000) || 'no output';
  } catch {
    return 'no log';
  }
}
