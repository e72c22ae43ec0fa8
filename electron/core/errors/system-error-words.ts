/** Codes of connections, as opposed to files. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRINUSE',
]);

export function isNetworkError(e: NodeJS.ErrnoException): boolean {
  return NETWORK.has(e.code ?? '');
}

/**
 * A Node system error (an errno code on an I/O call) said in plain words: what failed, on
 * what, and what to do. Codes stay out of the sentence; the log keeps them.
 */
export function systemErrorWords(e: NodeJS.ErrnoException): string | undefined {
  const on = e.path ? ` ${e.path}` : '';
  switch (e.code) {
    case 'ENOENT':
      return `${on.trim() || 'a file or folder'} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on${on || ' a file or folder'}: check who may read or write it`;
    case 'ENOSPC':
      return `the disk is full${on ? ` (writing${on})` : ''}: free some space and try again`;
    case 'EROFS':
      return `${on.trim() || 'the target'} is on a read-only file system`;
    case 'EISDIR':
      return `${on.trim() || 'the path'} is a folder, not a file`;
    case 'ENOTDIR':
      return `${on.trim() || 'the path'} is not a folder`;
    case 'EEXIST':
      return `${on.trim() || 'the target'} already exists`;
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open at once: close other programs and try again';
    case 'ECONNREFUSED':
      return 'the other side refused the connection: nothing listens at that address and port';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the connection was cut by the other side: try again; if it repeats, check the other side';
    case 'ETIMEDOUT':
      return 'the other side did not answer in time: check the network';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'there is no route to the other side: check the cable and the laptop’s address';
    case 'EADDRINUSE':
      return 'the port is already in use by another program: choose another port';
    default:
      return undefined;
  }
}
