/**
 * The whole kit (or registry source) is refused: unsafe member, integrity failure, bomb.
 * Nothing of it is kept. The message names the member and what to do.
 */
export class KitRefusedError extends Error {
  override name = 'KitRefusedError';
  constructor(
    message: string,
    readonly member?: string,
  ) {
    super(message);
  }
}
