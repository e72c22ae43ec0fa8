import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { ProbeFailure } from './probe-failure';
import type { SshSession } from './ssh-session';

const STDERR_KEPT = 2048;

/**
 * An SSH exec channel dressed as the socket Node's HTTP client expects. The HTTP client calls
 * `setTimeout`, `setNoDelay`, `setKeepAlive`, `ref` and `unref` on its sockets: an ssh2
 * channel has none of them, which is what crashed the process through docker-modem
 * ("sock.setTimeout is not a function", thrown from a callback nobody could catch). Here the
 * idle timeout works (a silent device ends the request), `ref`/`unref` reach the TCP socket
 * (an idle kept-alive connection does not hold the process), and destroying the socket ends
 * the SSH connection under it at once, without waiting for the device to agree.
 *
 * One socket is one SSH connection running `docker system dial-stdio` on the device (what the
 * docker CLI runs over SSH): the Engine API's bytes, unchanged. When the command fails (no
 * docker command, no access to the daemon's socket), its own words end the request.
 */
export class ChannelSocket extends Duplex {
  timeout = 0;
  private idle: NodeJS.Timeout | undefined;
  private stderr = '';
  private exitCode: number | undefined;
  private gotData = false;

  constructor(
    private readonly channel: ClientChannel,
    private readonly session: SshSession,
    private readonly where: string,
  ) {
    super({ allowHalfOpen: false });
    channel.on('data', (chunk: Buffer) => {
      this.gotData = true;
      this.touch();
      if (!this.push(chunk)) channel.pause();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < STDERR_KEPT) this.stderr += chunk.toString('utf8');
    });
    channel.on('exit', (code: number | null) => {
      if (typeof code === 'number') this.exitCode = code;
    });
    channel.on('end', () => this.push(null));
    channel.on('close', () => this.destroy(this.commandFailure() ?? undefined));
    channel.on('error', (e: Error) => this.destroy(e));
    session.client.on('close', () => this.destroy(this.commandFailure() ?? undefined));
  }

  override _read(): void {
    this.channel.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (e?: Error) => void): void {
    this.touch();
    if (this.channel.write(chunk)) callback();
    else this.channel.once('drain', () => callback());
  }

  override _final(callback: (e?: Error) => void): void {
    this.channel.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (e: Error | null) => void): void {
    clearTimeout(this.idle);
    this.session.client.end();
    this.session.socket.destroy();
    callback(error);
  }

  /**
   * As net.Socket: after `ms` without traffic, 'timeout' (the user decides what to do); 0
   * turns it off and takes the listener away again (the HTTP client relies on that when it
   * hands a kept-alive socket back).
   */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.timeout = ms;
    if (onTimeout) {
      if (ms === 0) this.removeListener('timeout', onTimeout);
      else this.once('timeout', onTimeout);
    }
    this.touch();
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.session.socket.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    this.session.socket.ref();
    return this;
  }

  unref(): this {
    this.session.socket.unref();
    return this;
  }

  private touch(): void {
    clearTimeout(this.idle);
    if (this.timeout > 0 && !this.destroyed) {
      this.idle = setTimeout(() => this.emit('timeout'), this.timeout);
      this.idle.unref();
    }
  }

  /** Why the channel closed before the Engine answered, when the device said so. */
  private commandFailure(): Error | null {
    if (this.gotData) return null;
    const said = this.stderr.trim().split('\n').slice(-3).join(' ').trim();
    if (this.exitCode === 127) {
      return new ProbeFailure(
        'ssh',
        `SSH to ${this.where} works, but the device has no docker command for that user: install the Docker CLI on the device, or check that user's PATH`,
      );
    }
    if (said || (this.exitCode !== undefined && this.exitCode !== 0)) {
      return new ProbeFailure(
        'ssh',
        `SSH to ${this.where} works, but "docker system dial-stdio" failed on the device${said ? `: ${said}` : ` (exit code ${this.exitCode})`}${/permission denied/i.test(said) ? ' — the user must be allowed to use the Docker socket (the docker group)' : ''}`,
      );
    }
    return new ProbeFailure(
      'ssh',
      `SSH to ${this.where} works, but the connection closed before the Docker Engine answered through it`,
    );
  }
}
