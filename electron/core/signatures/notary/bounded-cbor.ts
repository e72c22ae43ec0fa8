import { decode, Tokenizer, Type, type TagDecoder, type Token } from 'cborg';
import { ENVELOPE_LIMITS } from './notary-names';

/**
 * Decodes CBOR with maps as `Map` (COSE keys are integers and text), duplicate keys and
 * indefinite lengths refused, and nesting bounded: cborg recurses once per level, so a
 * few kilobytes of `[[[[…` would otherwise exhaust the stack.
 */
export function decodeBoundedCbor(bytes: Uint8Array, tags: TagDecoder[] = []): unknown {
  const options = {
    useMaps: true,
    rejectDuplicateMapKeys: true,
    allowIndefinite: false,
    allowUndefined: false,
    tags,
  };
  return decode(bytes, { ...options, tokenizer: new DepthBoundTokenizer(bytes, options) });
}

/** Counts open arrays, maps and tags while cborg reads tokens, and stops past the bound. */
class DepthBoundTokenizer extends Tokenizer {
  /** Items still expected by each open container, innermost last. */
  private open: number[] = [];

  override next(): Token {
    const token = super.next();
    if (this.open.length) this.open[this.open.length - 1]! -= 1;
    const children = Type.equals(token.type, Type.array)
      ? (token.value as number)
      : Type.equals(token.type, Type.map)
        ? (token.value as number) * 2
        : Type.equals(token.type, Type.tag)
          ? 1
          : 0;
    if (children > 0) {
      this.open.push(children);
      if (this.open.length > ENVELOPE_LIMITS.maxCborDepth)
        throw new Error(`CBOR nests deeper than ${ENVELOPE_LIMITS.maxCborDepth} levels`);
    }
    while (this.open.length && this.open[this.open.length - 1] === 0) this.open.pop();
    return token;
  }
}
