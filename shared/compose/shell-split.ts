export type ShellSplit = { ok: true; words: string[] } | { ok: false; message: string };

/**
 * Splits a command written as one string (`command: python app.py --port "80 80"`) into
 * words as docker compose does: POSIX shell rules for whitespace, single quotes (literal),
 * double quotes (backslash escapes only \ " $ ` and newline) and backslash escapes outside
 * quotes. No comments, no variables (interpolation has already happened), no globbing.
 */
export function shellSplit(text: string): ShellSplit {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return unclosed("'", text, i);
      word += text.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const d = text[j] as string;
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '\\' && j + 1 < text.length) {
          const e = text[j + 1] as string;
          if (e === '\n') j += 2;
          else if ('\\"$`'.includes(e)) {
            word += e;
            j += 2;
          } else {
            word += d;
            j++;
          }
          continue;
        }
        word += d;
        j++;
      }
      if (!closed) return unclosed('"', text, i);
      inWord = true;
      i = j + 1;
    } else if (c === '\\') {
      const e = text[i + 1];
      if (e === undefined) {
        return {
          ok: false,
          message: 'the command ends with a lone backslash: remove it or escape it as \\\\',
        };
      }
      if (e !== '\n') {
        word += e;
        inWord = true;
      }
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}

function unclosed(quote: string, text: string, at: number): ShellSplit {
  const piece = text.slice(at, at + 30);
  return {
    ok: false,
    message: `the quote ${quote} opened at "${piece}${text.length - at > 30 ? '…' : ''}" is never closed: close it, or write the command as a list`,
  };
}
