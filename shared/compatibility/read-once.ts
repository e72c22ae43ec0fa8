/**
 * `read`, run once per object and remembered for as long as the object lives (a WeakMap). The
 * evaluator takes the profiles and devices it is given as values: what it reads from one is
 * reused for every pair it is in, so a change comes as a new object, never in place (parsed
 * descriptions are never changed; `compatibilityDevice` builds a device per inventory read).
 */
export function readOnce<K extends object, V>(read: (key: K) => V): (key: K) => V {
  const known = new WeakMap<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = read(key);
      known.set(key, value);
    }
    return value;
  };
}
