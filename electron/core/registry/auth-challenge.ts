export interface AuthChallenge {
  /** Lower-case: `basic`, `bearer`. */
  scheme: string;
  /** Parameter names lower-case, values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const SPACE = /[ \t]*/y;

/**
 * Parses `WWW-Authenticate` values (RFC 9110 §11.6.1). One value may hold several challenges
 * (`Basic realm="x", Bearer realm="y"`), and a proxy may send several headers, so both are
 * flattened into one list in order.
 */
export function parseAuthChallenges(values: readonly string[]): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const value of values) challenges.push(...parseOne(value));
  return challenges;
}

function parseOne(text: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let pos = 0;
  const skip = (pattern: RegExp): void => {
    pattern.lastIndex = pos;
    if (pattern.exec(text)) pos = pattern.lastIndex;
  };
  const token = (): string | undefined => {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    pos = TOKEN.lastIndex;
    return m[0];
  };
  while (pos < text.length) {
    skip(/[ \t,]*/y);
    const scheme = token();
    if (!scheme) break;
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      skip(SPACE);
      const start = pos;
      const name = token();
      skip(SPACE);
      if (!name || text[pos] !== '=') {
        // Not `name=`: the next challenge's scheme (or a token68 we do not use) starts here.
        pos = start;
        break;
      }
      pos++;
      skip(SPACE);
      challenge.params[name.toLowerCase()] = text[pos] === '"' ? quoted() : (token() ?? '');
      skip(SPACE);
      if (text[pos] !== ',') break;
      pos++;
    }
  }
  return challenges;

  function quoted(): string {
    let out = '';
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\' && pos + 1 < text.length) pos++;
      out += text[pos];
      pos++;
    }
    pos++;
    return out;
  }
}
