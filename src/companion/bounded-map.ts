/**
 * Sets `key` as the newest entry of `map`; at `cap` entries the longest-unwritten one goes first,
 * so an in-memory cache costs a miss past its cap, never unbounded memory.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, cap: number): void {
  map.delete(key);
  if (map.size >= cap) map.delete(map.keys().next().value!);
  map.set(key, value);
}
