/** Devices are worked on this many at a time (each is mostly waiting on its device). */
export const DEVICE_CONCURRENCY = 8;

/** Runs `work` over `items`, at most `limit` at a time, keeping their order. */
export async function inParallel<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  limit = DEVICE_CONCURRENCY,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
