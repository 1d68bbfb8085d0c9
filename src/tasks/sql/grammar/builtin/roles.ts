/**
 * The roles of a schema's tables and columns, read from its names and values: tables of named things
 * (with their name column, measures and attributes), links between them (a column holding another's
 * names, many to one), relation tables (two links to the same kind of thing), property tables (one
 * link and columns of its own) and declared keys between named things.
 */
import type { SqlTable } from '../../schema.js';
import type { Domain } from '../fill.js';
import { columnPhrase, ownName } from '../induce.js';
import { nameWords, nounForms } from '../words.js';

export interface Entity {
  readonly table: string;
  readonly name: string;
  readonly one: string;
  readonly many: string;
  /** The own name repeats (a river has one row per state it crosses): lists use DISTINCT. */
  readonly repeats: boolean;
  readonly measures: readonly string[];
  /** Columns that are neither the name, nor a link, nor constant. */
  readonly attributes: readonly string[];
  /**
   * The one value a text column holds on every row (`city.country_name` is `usa`): all the rows are
   * "in" it, so "the largest city in usa" asks the same as "the largest city".
   */
  readonly scope?: string;
}

export interface Link {
  readonly table: string;
  readonly column: string;
  readonly to: Entity;
}

/** Read the roles of a schema's tables and columns. */
export function readRoles(domain: Domain) {
  const entities = new Map<string, Entity>();
  for (const table of domain.tables) {
    // the table's own name column (`city.city_name`), else a unique `name` or `title` (`singer.Name`)
    const ownColumn = table.columns.find(
      (column) =>
        ownName(table.name, column.name) &&
        !domain.column(table.name, column.name)?.numeric &&
        !keyLike(table, column.name),
    );
    const own =
      ownColumn && domain.entity(table.name)
        ? ownColumn
        : ownColumn
          ? undefined
          : table.columns.find((column) => {
              const parts = nameWords(column.name);
              // `name` alone: `state_name` in a table of highs and lows names a state, not the row
              if (parts.length !== 1 || !['name', 'title'].includes(parts[0]!)) return false;
              if (domain.column(table.name, column.name)?.numeric) return false;
              return (
                domain.counts(table.name, column.name).rows > 1 && !domain.repeats(table.name, column.name)
              );
            });
    if (!own) continue;
    const forms = nounForms(table.name);
    if (forms.singular.length === 0 || domain.values(table.name, own.name, 'string').length < 2) continue;
    const counts = domain.counts(table.name, own.name);
    entities.set(table.name, {
      table: table.name,
      name: own.name,
      one: forms.singular.join(' '),
      many: forms.plural.join(' '),
      repeats: counts.distinct < counts.rows,
      measures: [],
      attributes: [],
    });
  }
  const names = new Map(
    [...entities.values()].map((entity) => [
      entity.table,
      new Set(domain.values(entity.table, entity.name, 'string')),
    ]),
  );
  const found: { table: string; column: string; to: string }[] = [];
  for (const table of domain.tables) {
    const entity = entities.get(table.name);
    const measures: string[] = [];
    const attributes: string[] = [];
    let scope: string | undefined;
    for (const column of table.columns) {
      if (entity && column.name === entity.name) continue;
      const info = domain.column(table.name, column.name)!;
      const values = domain.values(table.name, column.name, info.numeric ? 'number' : 'string');
      if (values.length === 1 && !info.numeric && domain.counts(table.name, column.name).distinct === 1)
        scope ??= values[0]!.toLowerCase();
      if (values.length < 2) continue;
      // a link: most of its values name another entity; in a table of named things they also repeat
      // (many cities to one state; a state's capital is an attribute, not a link)
      let linked: string | undefined;
      if (!info.numeric && (!entity || domain.repeats(table.name, column.name))) {
        for (const other of entities.values()) {
          if (other.table === table.name) continue;
          const known = names.get(other.table)!;
          const share = values.filter((value) => known.has(value)).length / values.length;
          if (share >= 0.5) linked = other.table;
        }
      }
      if (!linked && (columnPhrase(table.name, column.name).length === 0 || keyLike(table, column.name)))
        continue;
      if (linked) found.push({ table: table.name, column: column.name, to: linked });
      else if (info.numeric) measures.push(column.name);
      else attributes.push(column.name);
    }
    if (entity)
      entities.set(table.name, {
        ...entity,
        measures,
        attributes: [...measures, ...attributes],
        ...(scope ? { scope } : {}),
      });
  }
  // links point at the entities as finished (with their measures)
  const links: Link[] = found.map((link) => ({ ...link, to: entities.get(link.to)! }));
  const relations: { table: string; from: string; to: string; entity: Entity }[] = [];
  const properties: { link: Link; attributes: string[] }[] = [];
  for (const table of domain.tables) {
    if (entities.has(table.name)) continue;
    const own = links.filter((link) => link.table === table.name);
    if (own.length === 2 && own[0]!.to === own[1]!.to)
      relations.push({ table: table.name, from: own[0]!.column, to: own[1]!.column, entity: own[0]!.to });
    else if (own.length === 1) {
      const attributes = table.columns
        .map((column) => column.name)
        .filter(
          (column) =>
            column !== own[0]!.column &&
            columnPhrase(table.name, column).length > 0 &&
            domain.values(
              table.name,
              column,
              domain.column(table.name, column)!.numeric ? 'number' : 'string',
            ).length > 1,
        );
      if (attributes.length > 0) properties.push({ link: own[0]!, attributes });
    }
  }
  // declared keys between named things (`employee.company_id` -> `company.id`): joined by the key
  const keyed: { table: string; column: string; to: Entity; refColumn: string }[] = [];
  for (const table of domain.tables) {
    if (!entities.has(table.name)) continue;
    for (const key of table.foreignKeys) {
      const to =
        entities.get(key.refTable) ??
        [...entities.values()].find((entity) => entity.table.toLowerCase() === key.refTable.toLowerCase());
      if (!to || to.table === table.name || !domain.column(to.table, key.refColumn)) continue;
      keyed.push({ table: table.name, column: key.column, to, refColumn: key.refColumn });
    }
  }
  return {
    entities: [...entities.values()],
    links: links.filter((link) => entities.has(link.table)),
    keyed,
    relations,
    properties,
  };
}

/** Keys and codes are not things people ask the largest of (`Singer_ID`, `zip_code`, a primary key). */
function keyLike(table: SqlTable, column: string): boolean {
  const parts = nameWords(column);
  const last = parts[parts.length - 1] ?? '';
  return (
    ['id', 'ids', 'code', 'zip', 'phone', 'key', 'no', 'fax', 'email', 'url'].includes(last) ||
    (table.columns.find((entry) => entry.name === column)?.primaryKey ?? 0) > 0 ||
    table.foreignKeys.some((key) => key.column === column)
  );
}
