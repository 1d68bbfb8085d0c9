import { ConfigError } from '../../errors/index.js';

/**
 * Questions per database: explicit `quotas` first, the rest of `count` split evenly over the other
 * databases (the first ones get one more when it does not divide).
 */
export function computeQuotas(
  ids: readonly string[],
  count: number,
  explicit: Readonly<Record<string, number>> = {},
): Map<string, number> {
  for (const id of Object.keys(explicit)) {
    if (!ids.includes(id)) {
      throw new ConfigError('knowledge.quotas', [
        { path: `knowledge.quotas.${id}`, message: `no database ${id} (databases: ${ids.join(', ')})` },
      ]);
    }
  }
  const quotas = new Map<string, number>();
  const others = ids.filter((id) => explicit[id] === undefined);
  const fixed = ids.reduce((sum, id) => sum + (explicit[id] ?? 0), 0);
  const rest = Math.max(0, count - fixed);
  others.forEach((id, position) => {
    quotas.set(id, Math.floor(rest / others.length) + (position < rest % others.length ? 1 : 0));
  });
  for (const id of ids) if (explicit[id] !== undefined) quotas.set(id, explicit[id]!);
  return new Map(ids.map((id) => [id, quotas.get(id) ?? 0]));
}
