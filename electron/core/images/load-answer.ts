import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';

/** One line of the JSON-lines answer of `POST /images/load`. */
const LoadLine = z.looseObject({
  stream: z.string().optional(),
  error: z.string().optional(),
  errorDetail: z.looseObject({ message: z.string().optional() }).optional(),
});

export interface LoadAnswer {
  /** `Loaded image: …` / `Loaded image ID: …` lines, as the daemon wrote them. */
  loaded: string[];
  /** The daemon's first error, when it reported one. */
  error?: string;
}

const MAX_LINE = 64 * 1024;

/**
 * Reads the daemon's answer to a load to its end. Docker reports a failed load inside a
 * 200 answer, as an `error`/`errorDetail` line, so the status alone says nothing. Lines are
 * parsed as they come; only what matters is kept (progress lines can be many).
 */
export async function readLoadAnswer(
  answer: AsyncIterable<unknown>,
  onChunk?: () => void,
): Promise<LoadAnswer> {
  const result: LoadAnswer = { loaded: [] };
  let pending = '';
  // A chunk may end inside a UTF-8 character.
  const decoder = new StringDecoder('utf8');
  const take = (line: string) => {
    if (!line.trim() || result.error !== undefined) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      result.error = `an unreadable answer: ${line.slice(0, 200)}`;
      return;
    }
    const parsed = LoadLine.safeParse(json);
    if (!parsed.success) return;
    const { stream, error, errorDetail } = parsed.data;
    if (error !== undefined || errorDetail?.message !== undefined) {
      result.error = errorDetail?.message ?? error;
    } else if (stream?.startsWith('Loaded image')) {
      result.loaded.push(stream.trim());
    }
  };
  for await (const chunk of answer) {
    onChunk?.();
    pending += Buffer.isBuffer(chunk) ? decoder.write(chunk) : String(chunk);
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      take(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
    // A line longer than any the daemon writes is not a load answer.
    if (pending.length > MAX_LINE) {
      take(pending.slice(0, 200));
      pending = '';
    }
  }
  take(pending + decoder.end());
  return result;
}
