/**
 * Expanding an induced grammar (`induce.ts`) over a database: each rule's slots are filled with other
 * values, columns and tables of the database, the same filler on both sides, and the program is kept
 * only when it runs and its result is not degenerate (empty, or nothing but NULLs).
 */
import type Database from 'better-sqlite3';
import { normaliseSql } from '../normalise.js';
import { quoteIdentifier, type SqlSchema, type SqlTable } from '../schema.js';
import type { GrammarRule, ProgramPiece, Slot } from './induce.js';
import { columnPhrase, ownName } from './induce.js';
import { nounForms, wordsOf } from './words.js';

/** What running a filled program gave; the caller decides how programs run (row caps, plan guard). */
export interface FilledRun {
  readonly status: 'ok' | 'error' | 'too-large' | 'too-slow';
  readonly rows: number;
  readonly preview: readonly (readonly unknown[])[];
}

/** One pair made from a rule. */
export interface GrammarExample {
  readonly question: string;
  readonly program: string;
  /** The demonstration whose rule made it. */
  readonly rule: string;
  /** What each slot was filled with, as `kind:original->filler`. */
  readonly fills: readonly string[];
  readonly result: { rows: number; preview: unknown[][] };
}

/** Why a filled rule was not kept (counted for statistics). */
export type FillRejection =
  | 'no-filler'
  | 'type-trap'
  | 'duplicate'
  | 'error'
  | 'too-large'
  | 'too-slow'
  | 'empty'
  | 'null-result';

/** Options of {@link expandGrammar}. */
export interface ExpandOptions {
  readonly rules: readonly GrammarRule[];
  readonly db: Database.Database;
  readonly schema: SqlSchema;
  /** The database's tables, columns and values, when the caller already has them (from {@link createDomain}). */
  readonly domain?: Domain;
  /** Seeded random in [0, 1). */
  readonly random: () => number;
  /** Runs a program; the caller caps rows and refuses runaway plans. */
  readonly run: (sql: string) => FilledRun;
  /** Questions and programs (normal form) not to produce again: the demonstrations, earlier examples. */
  readonly seenQuestions?: Set<string>;
  /** Programs (normal form) made so far, with how many questions each has. */
  readonly seenPrograms?: Map<string, number>;
  /**
   * Questions one program may have (the same program asked in the words of different
   * demonstrations). @default 2
   */
  readonly maxPerProgram?: number;
  /** A static check of a program (the SQL task's type traps): a flagged program is not kept. */
  readonly check?: (program: string) => { reason: string } | undefined;
  /** Failed fills of one rule in a row before it is set aside. @default 40 */
  readonly maxFailures?: number;
  readonly onReject?: (reason: FillRejection, rule: string) => void;
  /**
   * How likely each rule is to be drawn next (by its index in `rules`), asked before every draw;
   * rules are drawn uniformly without it.
   */
  readonly ruleWeight?: (index: number) => number;
  /** The expansion ends when no rule still in play weighs more than this. @default 0 */
  readonly stopBelow?: number;
  /** Told of each pair kept, with its rule's index (to update `ruleWeight`). */
  readonly onKeep?: (index: number) => void;
}

const VALUE_SAMPLE = 400;

/**
 * Pairs from the rules, each drawn by choosing a rule uniformly (so the mix of the output follows
 * the demonstrations', one rule per demonstration) and filling its slots at random. Ends when every
 * rule has failed `maxFailures` times in a row; the caller stops iterating when it has enough.
 */
export function* expandGrammar(options: ExpandOptions): Generator<GrammarExample> {
  const { random } = options;
  const seenQuestions = options.seenQuestions ?? new Set<string>();
  const seenPrograms = options.seenPrograms ?? new Map<string, number>();
  const maxPerProgram = options.maxPerProgram ?? 2;
  const maxFailures = options.maxFailures ?? 40;
  const domain = options.domain ?? createDomain(options.db, options.schema);
  const alive = options.rules.map((_, index) => index);
  const failures = new Map<number, number>();
  for (const rule of options.rules) {
    if (rule.builtin) continue;
    seenQuestions.add(questionKey(rule.source.question));
    const key = normaliseSql(rule.source.program);
    seenPrograms.set(key, (seenPrograms.get(key) ?? 0) + 1);
  }
  while (alive.length > 0) {
    const weights = options.ruleWeight
      ? alive.map((index) => Math.max(0, options.ruleWeight!(index)))
      : undefined;
    // every rule left would take the pairs further from what is wanted: the rest is for another generator
    if (weights && !weights.some((weight) => weight > (options.stopBelow ?? 0))) return;
    const pick = weights ? weightedPick(weights, random()) : Math.floor(random() * alive.length);
    const index = alive[pick]!;
    const rule = options.rules[index]!;
    const outcome = fillRule(rule, domain, random);
    let reason: FillRejection | undefined;
    let example: GrammarExample | undefined;
    if (!outcome) reason = 'no-filler';
    else {
      const questionSeen = questionKey(outcome.question);
      const programSeen = normaliseSql(outcome.program);
      if (seenQuestions.has(questionSeen) || (seenPrograms.get(programSeen) ?? 0) >= maxPerProgram)
        reason = 'duplicate';
      else if (options.check?.(outcome.program)) reason = 'type-trap';
      else {
        const ran = options.run(outcome.program);
        if (ran.status !== 'ok') reason = ran.status;
        else if (ran.rows === 0) reason = 'empty';
        else if (ran.preview.every((row) => row.every((cell) => cell === null))) reason = 'null-result';
        else {
          seenQuestions.add(questionSeen);
          seenPrograms.set(programSeen, (seenPrograms.get(programSeen) ?? 0) + 1);
          example = {
            question: outcome.question,
            program: outcome.program,
            rule: rule.source.id,
            fills: outcome.fills,
            result: { rows: ran.rows, preview: ran.preview.map((row) => [...row]) },
          };
        }
      }
    }
    if (example) {
      failures.set(index, 0);
      options.onKeep?.(index);
      yield example;
      continue;
    }
    options.onReject?.(reason!, rule.source.id);
    const failed = (failures.get(index) ?? 0) + 1;
    failures.set(index, failed);
    if (failed >= maxFailures) alive.splice(pick, 1);
  }
}

/** The position drawn from `weights` by `draw` in [0, 1) (uniform when they sum to 0). */
function weightedPick(weights: readonly number[], draw: number): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0)) return Math.floor(draw * weights.length);
  let left = draw * total;
  for (const [at, weight] of weights.entries()) {
    left -= weight;
    if (left < 0) return at;
  }
  return weights.length - 1;
}

/** Folded words of a question, for duplicate checks. */
function questionKey(question: string): string {
  return wordsOf(question).join(' ');
}

export interface ColumnInfo {
  readonly table: SqlTable;
  readonly name: string;
  readonly numeric: boolean;
}

/** What the fillers come from: tables, columns and (sampled, cached) values of the database. */
export interface Domain {
  table(name: string): SqlTable | undefined;
  readonly tables: readonly SqlTable[];
  column(table: string, column: string): ColumnInfo | undefined;
  values(table: string, column: string, type: 'string' | 'number'): readonly string[];
  /** The column of `to` playing the part `column` of `from` plays, if any. */
  mapColumn(from: string, column: string, to: string): string | undefined;
  /**
   * Whether a table holds entities named by its own name column (`city.city_name`), not references
   * to another table's (`border_info.border` holds state names).
   */
  entity(table: string): boolean;
  /**
   * Non-NULL values and distinct values of a column over its first {@link COUNT_SAMPLE} rows (a
   * sample, so a big table is not scanned whole), cached.
   */
  counts(table: string, column: string): { readonly rows: number; readonly distinct: number };
  /** Whether a column's values repeat: fewer distinct values than four fifths of its (sampled) rows. */
  repeats(table: string, column: string): boolean;
}

/** Rows read to tell whether a column's values repeat. */
const COUNT_SAMPLE = 5000;

export function createDomain(db: Database.Database, schema: SqlSchema): Domain {
  const byName = new Map(schema.tables.map((table) => [table.name.toLowerCase(), table]));
  const valueCache = new Map<string, string[]>();
  const textValues = (table: string, column: string): string[] => {
    const key = `${table}\u0000${column}`;
    let values = valueCache.get(key);
    if (!values) {
      try {
        values = (
          db
            .prepare(
              `SELECT DISTINCT ${quoteIdentifier(column)} AS v FROM ${quoteIdentifier(table)} WHERE ${quoteIdentifier(column)} IS NOT NULL LIMIT ${VALUE_SAMPLE}`,
            )
            .all() as { v: unknown }[]
        )
          .map((row) => row.v)
          .filter((value) => typeof value === 'string' || typeof value === 'number')
          .map(String);
      } catch {
        values = [];
      }
      valueCache.set(key, values);
    }
    return values;
  };
  const info = (table: string, column: string): ColumnInfo | undefined => {
    const owner = byName.get(table.toLowerCase());
    const found = owner?.columns.find((entry) => entry.name.toLowerCase() === column.toLowerCase());
    if (!owner || !found) return undefined;
    const declared = /INT|REAL|FLOA|DOUB|NUM|DEC/i.test(found.type);
    return { table: owner, name: found.name, numeric: declared };
  };
  const mapCache = new Map<string, string | undefined>();
  // a table's own name column names its rows in words (`platform_name`, not the key `platform_id`)
  const ownColumn = (table: SqlTable) =>
    table.columns.find(
      (column) => ownName(table.name, column.name) && !info(table.name, column.name)?.numeric,
    );
  const entityCache = new Map<string, boolean>();
  const countCache = new Map<string, { rows: number; distinct: number }>();
  const counts = (table: string, column: string): { rows: number; distinct: number } => {
    const key = `${table}\u0000${column}`;
    let known = countCache.get(key);
    if (!known) {
      try {
        const quoted = quoteIdentifier(column);
        const row = db
          .prepare(
            `SELECT count(v) AS rows, count(DISTINCT v) AS different FROM (SELECT ${quoted} AS v FROM ${quoteIdentifier(table)} LIMIT ${COUNT_SAMPLE})`,
          )
          .get() as { rows: number; different: number };
        known = { rows: row.rows, distinct: row.different };
      } catch {
        known = { rows: 0, distinct: 0 };
      }
      countCache.set(key, known);
    }
    return known;
  };
  const repeats = (table: string, column: string): boolean => {
    const { rows, distinct } = counts(table, column);
    return distinct < rows * 0.8;
  };
  return {
    counts,
    repeats,
    entity(name) {
      let known = entityCache.get(name);
      if (known !== undefined) return known;
      const table = byName.get(name.toLowerCase());
      const own = table && ownColumn(table);
      known = false;
      if (table && own) {
        const values = textValues(table.name, own.name);
        // names shared with another table's name column are that table's, unless they repeat there
        // and not here (`border_info.border` repeats the names of `state.state_name`, not the reverse)
        known = !schema.tables.some((other) => {
          const theirs = other === table ? undefined : ownColumn(other);
          if (!theirs || values.length === 0) return false;
          if (repeats(other.name, theirs.name) && !repeats(table.name, own.name)) return false;
          const names = new Set(textValues(other.name, theirs.name));
          return values.filter((value) => names.has(value)).length / values.length >= 0.5;
        });
      }
      entityCache.set(name, known);
      return known;
    },
    table: (name) => byName.get(name.toLowerCase()),
    tables: schema.tables.filter((table) => table.rowCount > 0),
    column: info,
    values(table, column, type) {
      const values = textValues(table, column);
      return type === 'number'
        ? values.filter((value) => /^-?\d+(\.\d+)?$/.test(value))
        : values.filter(
            (value) => /\p{L}/u.test(value) && value.length <= 40 && value.split(/\s+/).length <= 5,
          );
    },
    mapColumn(from, column, to) {
      if (from === to) return column;
      const key = `${from}\u0000${column}\u0000${to}`;
      if (mapCache.has(key)) return mapCache.get(key);
      const target = byName.get(to.toLowerCase());
      let mapped: string | undefined;
      if (target) {
        const lower = column.toLowerCase();
        // a table's own name column (river.river_name) plays that part in the other (lake.lake_name);
        // else the same name (state_name); only then a column holding the same values
        if (ownName(from, column)) mapped = target.columns.find((entry) => ownName(to, entry.name))?.name;
        else
          mapped = target.columns.find(
            (entry) => entry.name.toLowerCase() === lower && !ownName(to, entry.name),
          )?.name;
        // else a column holding the same values (river.traverse and lake.state_name hold state names)
        if (!mapped && !ownName(from, column)) {
          const source = new Set(textValues(from, column).filter((value) => /\p{L}/u.test(value)));
          if (source.size >= 3) {
            let best = 0;
            for (const entry of target.columns) {
              const values = textValues(to, entry.name);
              if (values.length === 0) continue;
              const shared = values.filter((value) => source.has(value)).length / values.length;
              if (shared > best && shared >= 0.5) {
                best = shared;
                mapped = entry.name;
              }
            }
          }
        }
      }
      mapCache.set(key, mapped);
      return mapped;
    },
  };
}

/** Fill every slot of a rule; undefined when some slot has no filler. */
function fillRule(
  rule: GrammarRule,
  domain: Domain,
  random: () => number,
): { question: string; program: string; fills: string[] } | undefined {
  const choose = <T>(items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
  const fillers: string[] = new Array(rule.slots.length);
  /** The table of each column slot's filler (its words drop that table's name). */
  const fillerTables: string[] = new Array(rule.slots.length);
  const tableOf = new Map<string, string>();
  // columns of each slotted table the program reads, which must exist in a replacement table
  const needed = new Map<number, Set<string>>();
  for (const piece of rule.program)
    if (typeof piece === 'object' && 'tableSlot' in piece) {
      const set = needed.get(piece.tableSlot) ?? new Set<string>();
      set.add(piece.column);
      needed.set(piece.tableSlot, set);
    }
  rule.slots.forEach((slot, index) => {
    if (slot.kind !== 'table') return;
    for (const [at, other] of rule.slots.entries())
      if (
        other.kind !== 'table' &&
        other.table === slot.table &&
        // a column only shown is drawn afresh from the new table
        !(other.kind === 'column' && projectedOnly(rule.program, at))
      ) {
        const set = needed.get(index) ?? new Set<string>();
        set.add(other.column);
        needed.set(index, set);
      }
  });
  // tables
  for (const [index, slot] of rule.slots.entries()) {
    if (slot.kind !== 'table') continue;
    const columns = [...(needed.get(index) ?? [])];
    const candidates = domain.tables.filter(
      (table) =>
        (slot.noun || table.name === slot.table) &&
        (!slot.implicit || table.name === slot.table || domain.entity(table.name)) &&
        nounForms(table.name).singular.length > 0 &&
        mapsOneToOne(columns, (column) => domain.mapColumn(slot.table, column, table.name)),
    );
    const table = choose(candidates);
    if (!table) return undefined;
    tableOf.set(slot.table, table.name);
    fillers[index] = table.name;
  }
  const mapped = (table: string, column: string) => {
    const target = tableOf.get(table) ?? table;
    return { table: target, column: domain.mapColumn(table, column, target) };
  };
  const fixedColumns = new Set(
    rule.program.flatMap((piece) => (typeof piece === 'string' ? [piece.toLowerCase()] : [])),
  );
  // columns
  const columnOf = new Map<string, { table: string; column: string }>();
  for (const [index, slot] of rule.slots.entries()) {
    if (slot.kind !== 'column') continue;
    // a column only shown (`SELECT capital FROM ...`) may become any column; one compared, summed or
    // ordered keeps its type
    const shownOnly = projectedOnly(rule.program, index);
    const place = mapped(slot.table, slot.column);
    const table = domain.table(place.table);
    if (!table || (!place.column && !shownOnly)) return undefined;
    const original = place.column ? domain.column(place.table, place.column) : undefined;
    if (!original && !shownOnly) return undefined;
    // the columns the rule's other slots stand for keep their parts ("the state of oregon" is not a column to ask)
    const taken = new Set(
      rule.slots.flatMap((other, at) =>
        at !== index && other.kind !== 'table'
          ? [mapped(other.table, other.column).column?.toLowerCase()]
          : [],
      ),
    );
    const same = (column: ColumnInfo) => column.name === original?.name;
    const candidates = table.columns
      .map((column) => domain.column(table.name, column.name)!)
      .filter(
        (column) =>
          (shownOnly || column.numeric === original!.numeric) &&
          (same(column) || !taken.has(column.name.toLowerCase())) &&
          columnPhrase(table.name, column.name).length > 0 &&
          (same(column) ||
            domain.values(table.name, column.name, column.numeric ? 'number' : 'string').length > 1) &&
          (same(column) || !fixedColumns.has(column.name.toLowerCase())) &&
          ![...columnOf.values()].some((used) => used.table === table.name && used.column === column.name),
      );
    // a column compared with a value keeps its part (the value is drawn from it); only the table may change
    const compared = rule.slots.some(
      (other) => other.kind === 'value' && other.table === slot.table && other.column === slot.column,
    );
    const column = compared ? original : choose(candidates);
    if (!column) return undefined;
    columnOf.set(`${slot.table}.${slot.column}`, { table: table.name, column: column.name });
    fillers[index] = column.name;
    fillerTables[index] = table.name;
  }
  // values
  for (const [index, slot] of rule.slots.entries()) {
    if (slot.kind !== 'value') continue;
    const place = columnOf.get(`${slot.table}.${slot.column}`) ?? mapped(slot.table, slot.column);
    if (!place.column) return undefined;
    const value = choose(domain.values(place.table, place.column, slot.type));
    if (value === undefined) return undefined;
    fillers[index] = value;
  }
  const program = rule.program.map((piece) => renderPiece(piece, rule.slots, fillers, mapped)).join(' ');
  const question = rule.question
    .map((piece) =>
      typeof piece === 'string'
        ? piece
        : surface(rule.slots[piece.slot]!, fillers[piece.slot]!, fillerTables[piece.slot]),
    )
    .join('');
  const fills = rule.slots.map((slot, index) => {
    const original =
      slot.kind === 'value' ? slot.original : slot.kind === 'column' ? slot.column : slot.table;
    return `${slot.kind}:${original}->${fillers[index]}`;
  });
  return { question, program: tidy(program), fills };
}

/**
 * Whether every use of slot `index` in the program is a bare column of the select list
 * (`SELECT [c] FROM`, `SELECT t.[c], ...`), not an argument, a comparison or a sort key.
 */
function projectedOnly(program: readonly ProgramPiece[], index: number): boolean {
  let uses = 0;
  for (let at = 0; at < program.length; at++) {
    const piece = program[at];
    if (typeof piece !== 'object' || !('slot' in piece) || piece.slot !== index) continue;
    uses++;
    const before = program[at - 1] === '.' ? program[at - 3] : program[at - 1];
    const after = program[at + 1];
    const word = (item: ProgramPiece | undefined) => (typeof item === 'string' ? item.toLowerCase() : '');
    if (!['select', 'distinct', ','].includes(word(before)) || !['from', ','].includes(word(after)))
      return false;
    if (word(before) === ',' && !inSelectList(program, at)) return false;
  }
  return uses > 0;
}

/** Whether the piece at `at` lies between a SELECT and its FROM at the same depth. */
function inSelectList(program: readonly ProgramPiece[], at: number): boolean {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const piece = program[i];
    if (typeof piece !== 'string') continue;
    if (piece === ')') depth++;
    else if (piece === '(') depth--;
    if (depth < 0) return false;
    if (depth > 0) continue;
    const lower = piece.toLowerCase();
    if (lower === 'select') return true;
    if (['from', 'where', 'by', 'having', 'on'].includes(lower)) return false;
  }
  return false;
}

/** Every column maps, and no two to the same column (`state_name` and `state_name` would merge two parts). */
function mapsOneToOne(columns: readonly string[], map: (column: string) => string | undefined): boolean {
  const targets = columns.map(map);
  return targets.every((target) => target !== undefined) && new Set(targets).size === targets.length;
}

function renderPiece(
  piece: ProgramPiece,
  slots: readonly Slot[],
  fillers: readonly string[],
  mapped: (table: string, column: string) => { table: string; column: string | undefined },
): string {
  if (typeof piece === 'string') return piece;
  if ('tableSlot' in piece) {
    const slot = slots[piece.tableSlot]!;
    return identifier(mapped(slot.table, piece.column).column ?? piece.column);
  }
  const slot = slots[piece.slot]!;
  const filler = fillers[piece.slot]!;
  if (slot.kind === 'value') return slot.type === 'number' ? filler : `'${filler.replaceAll("'", "''")}'`;
  return identifier(filler);
}

/** A name as SQL may write it: bare when it is a plain identifier, else quoted. */
export function identifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : quoteIdentifier(name);
}

/** Joins tokens the way people write SQL: no space around `.`, before `,` and `)` or after `(`. */
function tidy(sql: string): string {
  return sql
    .replace(/ \. /g, '.')
    .replace(/ ,/g, ',')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .replace(/(\w) \(/g, (match, word: string) =>
      /^(in|from|as|and|or|not|exists|where|on|join)$/i.test(word) ? match : `${word}(`,
    );
}

/** A filler in the words the question used for its slot: plural if it was, the same letter case. */
function surface(slot: Slot, filler: string, fillerTable?: string): string {
  let text: string;
  if (slot.kind === 'table') {
    const forms = nounForms(filler);
    text = (slot.plural ? forms.plural : forms.singular).join(' ');
  } else if (slot.kind === 'column') {
    text = columnPhrase(fillerTable ?? slot.table, filler).join(' ');
  } else text = filler;
  const original = slot.surface;
  if (original === original.toLowerCase()) return slot.kind === 'value' ? text.toLowerCase() : text;
  if (original === original.toUpperCase()) return text.toUpperCase();
  if (/^\p{Lu}/u.test(original))
    return text.replace(
      /(^|\s)(\p{L})/gu,
      (_, space: string, letter: string) => space + letter.toUpperCase(),
    );
  return text;
}
