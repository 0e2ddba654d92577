/**
 * `compute` made to run once per key object: for values derived from
 * something that never changes once made (a ContainerSpec), asked for from
 * several places. The keys are held weakly.
 */
export function oncePerObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
