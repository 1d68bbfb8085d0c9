import type Database from 'better-sqlite3';

/** Tables from this many rows make a nested full scan too slow to run in-process. */
const BIG_TABLE_ROWS = 20_000;

/**
 * A check run before a sampled program: true when SQLite's plan scans a big table inside another
 * loop (the inner side of a join, or a correlated subquery) with no index to search, which costs
 * rows x rows. Sampled programs run in-process without an interrupt, so such a program is dropped
 * instead of run. `null` when no table is big enough for it to matter (then nothing is checked).
 */
export function createPlanGuard(
  db: Database.Database,
  tables: readonly { name: string; rowCount: number }[],
): ((sql: string) => boolean) | null {
  const big = new Map(
    tables
      .filter((table) => table.rowCount >= BIG_TABLE_ROWS)
      .map((table) => [table.name.toLowerCase(), table]),
  );
  if (big.size === 0) return null;
  return (sql) => {
    const aliases = new Map<string, string>();
    for (const match of sql.matchAll(
      /(?:FROM|JOIN)\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)\s+AS\s+(T\d+)/g,
    )) {
      const name = match[1]!.startsWith('"') ? match[1]!.slice(1, -1).replaceAll('""', '"') : match[1]!;
      aliases.set(match[2]!, name);
    }
    let plan: { id: number; parent: number; detail: string }[];
    try {
      plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as typeof plan;
    } catch {
      // The program itself will fail to prepare and be recorded as an error.
      return false;
    }
    const byId = new Map(plan.map((row) => [row.id, row]));
    return plan.some((row, index) => {
      const scanned = /^SCAN (.+?)(?: USING .*)?$/.exec(row.detail)?.[1];
      if (!scanned || scanned === 'CONSTANT ROW') return false;
      const table = aliases.get(scanned) ?? scanned.replace(/^"|"$/g, '');
      if (!big.has(table.toLowerCase())) return false;
      const innerLoop = plan
        .slice(0, index)
        .some((other) => other.parent === row.parent && /^(SCAN|SEARCH) /.test(other.detail));
      let ancestor = byId.get(row.parent);
      let correlated = false;
      while (ancestor && !correlated) {
        correlated = ancestor.detail.includes('CORRELATED');
        ancestor = byId.get(ancestor.parent);
      }
      return innerLoop || correlated;
    });
  };
}
