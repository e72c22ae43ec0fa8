/**
 * `items.map(f)`, as an array whose shape does not depend on which tier of the JIT built it.
 * Array.prototype.map makes a holey array in the interpreter and a packed one once optimized,
 * so lists compiled per profile would change shape mid-run and send the per-device code back
 * to the interpreter ("wrong map" deopts, seen with --trace-deopt); pushing keeps them packed.
 */
export function packedList<T, U>(items: readonly T[], f: (item: T, index: number) => U): U[] {
  const list: U[] = [];
  for (let i = 0; i < items.length; i++) list.push(f(items[i] as T, i));
  return list;
}
