import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, randomUUID, sign } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { createTestCa, issueServerCert, issueSigningCert, type TestCa } from './test-ca';

const run = promisify(execFile);

const REGISTRY_BINARY = '/usr/bin/docker-registry';
const SETPRIV = '/usr/bin/setpriv';
const TOKEN_SERVICE = 'commissioner-test-registry';
const TOKEN_ISSUER = 'commissioner-test-token-service';
const TOKEN_SECONDS = 300;
const START_DEADLINE_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 5;

export interface RegistryUser {
  username: string;
  password: string;
}

export interface StartRegistryOptions {
  /** HTTPS with a certificate of a fresh test CA; by default for 127.0.0.1 and localhost. */
  tls?: boolean | { ipAddresses: string[]; dnsNames: string[] };
  /** htpasswd (bcrypt) authentication with one user. */
  basicAuth?: RegistryUser;
  /**
   * Bearer tokens from a token service in this process, one user, granted `actions` on every
   * repository (default pull and push).
   */
  tokenAuth?: RegistryUser & { actions?: ('pull' | 'push')[] };
  /**
   * Blob downloads redirected (307) to a file server in this process that serves the storage
   * directory, like a registry in front of object storage (distribution's `redirect` storage
   * middleware).
   */
  storageRedirect?: boolean;
}

export interface TokenRequestRecord {
  /** The user name the client sent, '' when anonymous. */
  user: string;
  scopes: string[];
  /** False when the credentials were wrong (answered 401). */
  issued: boolean;
}

export interface StorageRequestRecord {
  path: string;
  /** Whether the request carried an Authorization header (it must not: other origin). */
  authorization: boolean;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** The test CA's certificate, when `tls` is on. */
  caPem?: string;
  /** distribution's filesystem root: blobs live under `docker/registry/v2/blobs`. */
  storageDir: string;
  /** Every request the token service answered, in order (with `tokenAuth`). */
  tokenRequests: readonly TokenRequestRecord[];
  /** Every request the storage file server answered (with `storageRedirect`). */
  storageRequests: readonly StorageRequestRecord[];
  /** Where distribution keeps the bytes of a blob, for faults made on its storage. */
  blobDataPath(digest: string): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts the real distribution registry (`/usr/bin/docker-registry serve`) on a free port of
 * 127.0.0.1, with its storage, config and certificates in a fresh temporary directory, and
 * resolves once `GET /v2/` answers.
 *
 * The process cannot outlive the test process: it is started through `setpriv --pdeathsig`
 * (the kernel kills it when its parent dies, even by SIGKILL) and killed on `exit`.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const root = await mkdtemp(join(tmpdir(), 'commissioner-registry-'));
  const storageDir = join(root, 'storage');
  let tokenService: TokenService | undefined;
  let storageServer: StorageServer | undefined;
  try {
    await mkdir(storageDir);
    const tls = options.tls !== undefined && options.tls !== false;
    const ca = tls || options.tokenAuth ? await createTestCa(root) : undefined;
    const httpSection: Record<string, unknown> = { secret: randomBytes(16).toString('hex') };
    if (tls && ca) {
      const names =
        typeof options.tls === 'object'
          ? options.tls
          : { ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'] };
      const server = await issueServerCert(ca, { commonName: 'test-registry', ...names }, root);
      httpSection.tls = { certificate: server.certPath, key: server.keyPath };
    }
    const auth: Record<string, unknown> = {};
    if (options.basicAuth) {
      const path = join(root, 'htpasswd');
      const { username, password } = options.basicAuth;
      await writeFile(path, `${username}:${await bcrypt(password)}\n`);
      auth.htpasswd = { realm: 'commissioner-test', path };
    }
    if (options.tokenAuth && ca) {
      tokenService = await startTokenService(ca, root, options.tokenAuth);
      auth.token = {
        realm: tokenService.realm,
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        rootcertbundle: ca.caCertPath,
      };
    }
    if (options.storageRedirect) storageServer = await startStorageServer(storageDir);
    const config = {
      version: 0.1,
      log: { level: 'error', formatter: 'text', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: storageDir },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: httpSection,
      ...(Object.keys(auth).length > 0 ? { auth } : {}),
      ...(storageServer
        ? {
            middleware: {
              storage: [{ name: 'redirect', options: { baseurl: storageServer.baseUrl } }],
            },
          }
        : {}),
    };
    const scheme = httpSection.tls ? 'https' : 'http';
    const { child, host } = await launch(root, config, scheme, ca?.caPem);
    const registry: TestRegistry = {
      host,
      storageDir,
      tokenRequests: tokenService?.requests ?? [],
      storageRequests: storageServer?.requests ?? [],
      blobDataPath: (digest) => blobDataPath(storageDir, digest),
      stop: once(async () => {
        await terminate(child);
        await tokenService?.close();
        await storageServer?.close();
        await rm(root, { recursive: true, force: true });
      }),
    };
    if (httpSection.tls && ca) registry.caPem = ca.caPem;
    return registry;
  } catch (e) {
    await tokenService?.close();
    await storageServer?.close();
    await rm(root, { recursive: true, force: true });
    throw e;
  }
}

interface StorageServer {
  baseUrl: string;
  requests: StorageRequestRecord[];
  close(): Promise<void>;
}

/** Serves the registry's storage directory read-only, as object storage would. */
async function startStorageServer(storageDir: string): Promise<StorageServer> {
  const requests: StorageRequestRecord[] = [];
  const server = http.createServer((req, res) => {
    let path = '';
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://storage').pathname);
    } catch {
      // Malformed escapes: refused below like any path outside the storage.
    }
    requests.push({ path, authorization: req.headers.authorization !== undefined });
    const file = resolve(storageDir, `.${path}`);
    const readable = req.method === 'GET' || req.method === 'HEAD';
    if (!path || !readable || !file.startsWith(`${storageDir}/`)) {
      res.writeHead(403).end();
      return;
    }
    stat(file).then(
      (info) => {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': info.size,
        });
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function blobDataPath(storageDir: string, digest: string): string {
  const [algorithm = '', hex = ''] = digest.split(':');
  return join(storageDir, 'docker/registry/v2/blobs', algorithm, hex.slice(0, 2), hex, 'data');
}

/** Writes the config with a free port and starts the registry; retries if the port was taken. */
async function launch(
  root: string,
  config: { http: Record<string, unknown> },
  scheme: 'http' | 'https',
  caPem: string | undefined,
): Promise<{ child: ChildProcess; host: string }> {
  const configPath = join(root, 'config.yml');
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    // The port is free now; another process could take it before the registry binds, which
    // the registry reports on stderr and we answer with a new port.
    const host = `127.0.0.1:${await freePort()}`;
    config.http.addr = host;
    await writeFile(configPath, stringify(config));
    const registry = spawnRegistry(configPath);
    try {
      await waitUntilAnswering(registry, `${scheme}://${host}/v2/`, caPem);
      return { child: registry.child, host };
    } catch (e) {
      await terminate(registry.child);
      lastError = e;
      if (!/address already in use/i.test(String((e as Error).message))) throw e;
    }
  }
  throw lastError;
}

interface RegistryProcess {
  child: ChildProcess;
  /** The last 8 KiB the registry wrote to stderr (its log, level error). */
  stderr(): string;
}

function spawnRegistry(configPath: string): RegistryProcess {
  const [command, args] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', REGISTRY_BINARY, 'serve', configPath]]
    : [REGISTRY_BINARY, ['serve', configPath]];
  // A clean environment: distribution reads REGISTRY_* variables as config overrides.
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-8192);
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  return { child, stderr: () => stderr.trim() };
}

/** Polls `GET /v2/` until it answers 200 or 401; fails at once if the registry exits. */
function waitUntilAnswering(
  { child, stderr }: RegistryProcess,
  url: string,
  caPem?: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(deadline);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(
        new Error(
          `docker-registry exited (${signal ?? `code ${code}`}) before answering: ${stderr() || 'no output'}`,
        ),
      );
    child.once('exit', onExit);
    child.once('error', (e) => finish(e));
    const deadline = setTimeout(
      () =>
        finish(
          new Error(
            `docker-registry did not answer ${url} within ${START_DEADLINE_MS} ms: ${stderr()}`,
          ),
        ),
      START_DEADLINE_MS,
    );
    const poll = (): void => {
      const transport = url.startsWith('https:') ? https : http;
      // Any HTTP answer means "up"; the certificate may deliberately name another host.
      const tlsOptions = caPem ? { ca: caPem, checkServerIdentity: () => undefined } : {};
      const req = transport.get(url, { ...tlsOptions, agent: false }, (res) => {
        res.resume();
        if (res.statusCode === 200 || res.statusCode === 401) finish();
        else finish(new Error(`docker-registry answered ${url} with ${res.statusCode}`));
      });
      req.on('error', () => {
        if (!settled) timer = setTimeout(poll, 25);
      });
    };
    poll();
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(force);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function once(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= action());
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A bcrypt hash (the only format distribution's htpasswd reads) from the system's crypt(3)
 * through perl, which Debian always has; libxcrypt implements `$2b$`. No npm dependency.
 */
async function bcrypt(password: string): Promise<string> {
  const random = randomBytes(21);
  // The 22nd salt character carries only 2 bits; crypt_blowfish wants the others zero.
  const salt = [...random].map((b) => BCRYPT_ALPHABET[b % 64]).join('') + '.Oeu'[random[0]! % 4];
  const prefix = '$2b$05$';
  const { stdout } = await run('perl', ['-e', 'print crypt($ENV{PASSWORD}, $ENV{SALT})'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PASSWORD: password, SALT: prefix + salt },
  });
  if (!stdout.startsWith(prefix) || stdout.length !== 60) {
    throw new Error(
      "this system's crypt(3) does not make bcrypt hashes ($2b$), which htpasswd needs",
    );
  }
  return stdout;
}

interface TokenService {
  realm: string;
  requests: TokenRequestRecord[];
  close(): Promise<void>;
}

/**
 * A token service after distribution's token spec: Basic credentials in, an RS256 JWT out,
 * signed by a key whose certificate the test CA issued. The token carries the chain in `x5c`
 * (distribution verifies it against `rootcertbundle`, the CA) and the libtrust `kid`.
 * Anonymous clients get a token without access, as the spec wants ("not an error").
 */
async function startTokenService(
  ca: TestCa,
  dir: string,
  user: RegistryUser & { actions?: ('pull' | 'push')[] },
): Promise<TokenService> {
  const signing = await issueSigningCert(ca, { commonName: 'test-token-service' }, dir);
  const certPem = await readFile(signing.certPath, 'utf8');
  const keyPem = await readFile(signing.keyPath, 'utf8');
  const header = {
    typ: 'JWT',
    alg: 'RS256',
    kid: libtrustKeyId(createPublicKey(certPem).export({ type: 'spki', format: 'der' })),
    x5c: [pemBody(certPem)],
  };
  const requests: TokenRequestRecord[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const scopes = url.searchParams.getAll('scope');
    const presented = parseBasic(req.headers.authorization);
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    if (
      presented &&
      (presented.username !== user.username || presented.password !== user.password)
    ) {
      requests.push({ user: presented.username, scopes, issued: false });
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Basic realm="commissioner-test-token-service"',
      });
      res.end(
        JSON.stringify({
          errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }],
        }),
      );
      return;
    }
    requests.push({ user: presented?.username ?? '', scopes, issued: true });
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: TOKEN_ISSUER,
      sub: presented?.username ?? '',
      aud: url.searchParams.get('service') ?? '',
      exp: now + TOKEN_SECONDS,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: presented
        ? scopes.map((scope) => grant(scope, user.actions)).filter((a) => a !== undefined)
        : [],
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), keyPem).toString('base64url');
    const token = `${input}.${signature}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: TOKEN_SECONDS,
        issued_at: new Date(now * 1000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `repository:plant/app:pull,push` → the access entry for it: the requested actions the user
 * has (the spec's intersection, never an error).
 */
function grant(
  scope: string,
  allowed: readonly string[] = ['pull', 'push'],
): { type: string; name: string; actions: string[] } | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  const type = scope.slice(0, first);
  const requested = scope.slice(last + 1).split(',');
  const actions =
    type === 'registry'
      ? requested.filter((a) => a === '*')
      : requested.filter((a) => allowed.includes(a));
  return { type, name: scope.slice(first + 1, last), actions };
}

function parseBasic(header: string | undefined): RegistryUser | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0
    ? { username: text, password: '' }
    : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * libtrust's key ID: the SHA-256 of the DER public key, cut to 240 bits, base32 in 12 groups
 * of 4 joined by `:` (distribution's token spec, "kid").
 */
function libtrustKeyId(spkiDer: Buffer): string {
  const bytes = createHash('sha256').update(spkiDer).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  let encoded = '';
  for (let i = 0; i < bits.length; i += 5) encoded += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return encoded.match(/.{4}/g)?.join(':') ?? encoded;
}

function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
