/**
 * Synchronous grammar induction from demonstration pairs, in the spirit of GraPPa (Yu et al. 2021,
 * "GraPPa: Grammar-Augmented Pre-Training for Table Semantic Parsing", section 2.1): each
 * (question, SQL) pair is aligned word by word with the values, columns and tables of its program;
 * the aligned spans become non-terminals on both sides, so one pair gives one synchronous rule
 * ("give me the [TABLE0:city]s in [VALUE0:city.state_name]" <-> "SELECT [TABLE0].city_name FROM
 * [TABLE0] WHERE [TABLE0].state_name = [VALUE0]"). `fill.ts` expands rules with other values,
 * columns and tables of the database; the words around the spans stay the people's.
 */
import type { SqlSchema, SqlTable } from '../schema.js';
import { type SqlToken, tokenizeSql } from '../tokenize.js';
import { nameWords, nounForms, questionWords, type Word, wordsOf } from './words.js';

/** A value slot: a literal of the program also written in the question. */
export interface ValueSlot {
  readonly kind: 'value';
  /** The column the literal is compared with. */
  readonly table: string;
  readonly column: string;
  /** `string` or `number` literal. */
  readonly type: 'string' | 'number';
  readonly original: string;
}

/** A column slot: a column the question names in words (`population`, `highest point`). */
export interface ColumnSlot {
  readonly kind: 'column';
  readonly table: string;
  readonly column: string;
}

/** A table slot: a table the question names (`cities`, `lake`). */
export interface TableSlot {
  readonly kind: 'table';
  readonly table: string;
  /** How the question wrote it. */
  readonly plural: boolean;
  /**
   * Whether the words read as a noun for the table (plural, or after a determiner): only then is
   * the table replaced ("what states border texas": `border` is a verb, not the table `border_info`).
   */
  readonly noun: boolean;
  /**
   * The question does not name the table: the value names one of its rows by its own name column
   * ("the capital of [texas]"), so the table may change with that column (the slot has no words).
   */
  readonly implicit?: boolean;
}

/** A slot, with the words the question used for it (`Texas`, `cities`). */
export type Slot = (ValueSlot | ColumnSlot | TableSlot) & { readonly surface: string };

/** One side of a rule: text pieces and slot references, in order. */
export type Piece = string | { readonly slot: number };

/** One synchronous rule, induced from one demonstration. */
export interface GrammarRule {
  /** The demonstration it came from. */
  readonly source: { readonly id: string; readonly question: string; readonly program: string };
  readonly slots: readonly Slot[];
  /** The question with slot spans cut out; the pieces between them are the person's words. */
  readonly question: readonly Piece[];
  /**
   * The program as tokens with slot references: a column slot stands for the column's name, a table
   * slot for the table's name (qualified references `t.c` to a slotted table are `{slot}.c`, the
   * column mapped when the table changes), a value slot for the literal.
   */
  readonly program: readonly ProgramPiece[];
  /**
   * A built-in rule (`builtin/`), not a demonstration's: its source is a pattern, not a pair to
   * keep out of the output.
   */
  readonly builtin?: boolean;
}

/** A program token, or a slot, or a column of a slotted table (mapped with the table). */
export type ProgramPiece =
  | string
  | { readonly slot: number }
  | { readonly tableSlot: number; readonly column: string };

/** Why a demonstration gave no rule. */
export type InductionSkip = 'no-parse' | 'unknown-schema' | 'no-alignment';

/** The grammar of one database: its rules and the demonstrations that gave none, with why. */
export interface SqlGrammar {
  readonly rules: readonly GrammarRule[];
  readonly skipped: readonly { readonly id: string; readonly reason: InductionSkip }[];
}

const KEYWORDS = new Set(
  'select from where and or not as on join inner left right outer cross natural group by order having limit offset asc desc in like glob between is null distinct all union intersect except case when then else end cast exists using count sum avg max min'.split(
    ' ',
  ),
);

const DETERMINERS = new Set(
  'the a an each every which what any some no all one this that of per largest smallest biggest longest shortest highest lowest'.split(
    ' ',
  ),
);

/** A resolved schema reference in the token stream. */
interface Ref {
  readonly kind: 'table' | 'column';
  readonly table: string;
  readonly column?: string;
  /** Token indexes covered (`t . c` is three). */
  readonly first: number;
  readonly last: number;
  /** For `t.c` written with an alias: the alias, kept as written. */
  readonly qualifier?: { index: number; alias: boolean };
}

function unquote(token: SqlToken): string {
  if (token.kind === 'quoted-identifier') return token.text.slice(1, -1).replace(/""/g, '"');
  return token.text;
}

function stringValue(token: SqlToken): string {
  return token.text.slice(1, -1).replace(/''/g, "'");
}

/**
 * Induce one rule per demonstration whose program reads only tables and columns of `schema` and has
 * at least one span aligned with its question. Demonstrations of other databases give no rule
 * (`unknown-schema`), so one pool can serve many databases.
 */
export function induceGrammar(
  demonstrations: readonly { id: string; question: string; program: string }[],
  schema: SqlSchema,
): SqlGrammar {
  const rules: GrammarRule[] = [];
  const skipped: { id: string; reason: InductionSkip }[] = [];
  const tables = new Map(schema.tables.map((table) => [table.name.toLowerCase(), table]));
  for (const demo of demonstrations) {
    const outcome = induceRule(demo, tables);
    if ('reason' in outcome) skipped.push({ id: demo.id, reason: outcome.reason });
    else rules.push(outcome.rule);
  }
  return { rules, skipped };
}

function induceRule(
  demo: { id: string; question: string; program: string },
  tables: ReadonlyMap<string, SqlTable>,
): { rule: GrammarRule } | { reason: InductionSkip } {
  const program = demo.program.trim().replace(/;\s*$/, '');
  const tokens = tokenizeSql(program, 2000);
  if (tokens.length === 0 || tokens.length >= 2000) return { reason: 'no-parse' };
  // 1. resolve tables and aliases
  const aliases = new Map<string, string>();
  const refs: Ref[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const previous = tokens[i - 1]?.text.toLowerCase();
    if (previous !== 'from' && previous !== 'join' && !(previous === ',' && inFromList(tokens, i))) continue;
    const token = tokens[i]!;
    if (token.kind !== 'word' && token.kind !== 'quoted-identifier') continue;
    const name = unquote(token).toLowerCase();
    const table = tables.get(name);
    if (!table) return { reason: 'unknown-schema' };
    refs.push({ kind: 'table', table: table.name, first: i, last: i });
    aliases.set(name, table.name);
    let next = i + 1;
    if (tokens[next]?.text.toLowerCase() === 'as') next++;
    const alias = tokens[next];
    if (
      alias &&
      (alias.kind === 'word' || alias.kind === 'quoted-identifier') &&
      !KEYWORDS.has(alias.text.toLowerCase())
    )
      aliases.set(unquote(alias).toLowerCase(), table.name);
  }
  if (refs.length === 0) return { reason: 'no-parse' };
  const read = [...new Set(refs.map((ref) => ref.table))].map((name) => tables.get(name.toLowerCase())!);
  // 2. resolve columns: t.c, alias.c, and bare names of the tables read
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'word' && token.kind !== 'quoted-identifier') continue;
    if (refs.some((ref) => ref.first <= i && i <= ref.last)) continue;
    const name = unquote(token).toLowerCase();
    if (token.kind === 'word' && KEYWORDS.has(name)) continue;
    if (tokens[i + 1]?.text === '.') {
      const owner = aliases.get(name);
      const column = tokens[i + 2];
      if (!owner || !column) return { reason: 'unknown-schema' };
      const table = tables.get(owner.toLowerCase())!;
      const found = table.columns.find((entry) => entry.name.toLowerCase() === unquote(column).toLowerCase());
      if (!found) return { reason: 'unknown-schema' };
      refs.push({
        kind: 'column',
        table: table.name,
        column: found.name,
        first: i,
        last: i + 2,
        qualifier: { index: i, alias: name !== table.name.toLowerCase() },
      });
      i += 2;
      continue;
    }
    if (tokens[i + 1]?.text === '(') continue; // a function
    if (aliases.has(name) && tokens[i - 1]?.text.toLowerCase() === 'as') continue;
    if ([...aliases.keys()].includes(name) && refs.some((ref) => ref.kind === 'table' && ref.last === i - 1))
      continue; // an alias after its table
    if (
      refs.some((ref) => ref.kind === 'table' && (ref.last === i - 1 || ref.last === i - 2)) &&
      aliases.has(name)
    )
      continue;
    const owners = read.filter((table) => table.columns.some((column) => column.name.toLowerCase() === name));
    if (owners.length === 0) {
      if (aliases.has(name)) continue;
      return { reason: 'unknown-schema' };
    }
    const table = owners[0]!;
    refs.push({
      kind: 'column',
      table: table.name,
      column: table.columns.find((column) => column.name.toLowerCase() === name)!.name,
      first: i,
      last: i,
    });
  }
  // 3. align with the question
  const words = questionWords(demo.question);
  const used = new Array<boolean>(words.length).fill(false);
  const slots: Slot[] = [];
  const spans: { start: number; end: number; slot: number }[] = [];
  const claim = (
    span: { start: number; end: number } | undefined,
    slot: ValueSlot | ColumnSlot | TableSlot,
  ): number | undefined => {
    if (!span) return undefined;
    for (let i = span.start; i < span.end; i++) used[i] = true;
    slots.push({ ...slot, surface: demo.question.slice(words[span.start]!.start, words[span.end - 1]!.end) });
    spans.push({ ...span, slot: slots.length - 1 });
    return slots.length - 1;
  };
  const tokenSlot = new Map<number, number>();
  // values first: the most specific alignment
  const valueSlots = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'string' && token.kind !== 'number') continue;
    const value = token.kind === 'string' ? stringValue(token) : token.text;
    const key = `${token.kind}:${value.toLowerCase()}`;
    const known = valueSlots.get(key);
    if (known !== undefined) {
      tokenSlot.set(i, known);
      continue;
    }
    const column = comparedColumn(refs, tokens, i);
    if (!column) continue;
    const span = findSpan(words, wordsOf(value), used);
    const slot = claim(span, {
      kind: 'value',
      table: column.table,
      column: column.column!,
      type: token.kind === 'string' ? 'string' : 'number',
      original: value,
    });
    if (slot !== undefined) {
      valueSlots.set(key, slot);
      tokenSlot.set(i, slot);
    }
  }
  // tables the question names
  const tableSlots = new Map<string, number>();
  for (const table of read) {
    const forms = nounForms(table.name);
    let found: { start: number; end: number } | undefined;
    let plural = false;
    for (const [form, isPlural] of [
      [forms.plural, true],
      [forms.singular, false],
    ] as const) {
      found = findSpan(words, form, used);
      if (found) {
        plural = isPlural;
        break;
      }
    }
    const before = found && found.start > 0 ? words[found.start - 1]!.folded : '';
    const noun = plural || DETERMINERS.has(before);
    const slot = claim(found, { kind: 'table', table: table.name, plural, noun });
    if (slot !== undefined) tableSlots.set(table.name, slot);
  }
  // columns the question names (not join keys: a column compared with another column stays)
  const columnSlots = new Map<string, number>();
  for (const ref of refs) {
    if (ref.kind !== 'column') continue;
    const id = `${ref.table}.${ref.column}`;
    if (columnSlots.has(id) || isJoinKey(refs, tokens, ref)) continue;
    const phrase = columnPhrase(ref.table, ref.column!);
    if (phrase.length === 0) continue;
    const slot = claim(findSpan(words, phrase, used), {
      kind: 'column',
      table: ref.table,
      column: ref.column!,
    });
    if (slot !== undefined) columnSlots.set(id, slot);
  }
  if (slots.length === 0) return { reason: 'no-alignment' };
  // A one-table program whose value names an entity by the table's own name column ("the capital of
  // [texas]": state.state_name) can ask the same of another kind of entity ("the population of
  // [seattle]": city.city_name) though the question never names the table: an implicit table slot.
  if (read.length === 1 && !tableSlots.has(read[0]!.name)) {
    const table = read[0]!;
    const named = slots.some(
      (slot) => slot.kind === 'value' && slot.table === table.name && ownName(table.name, slot.column),
    );
    if (named) {
      slots.push({
        kind: 'table',
        table: table.name,
        plural: false,
        noun: true,
        implicit: true,
        surface: '',
      });
      tableSlots.set(table.name, slots.length - 1);
    }
  }
  // 4. the two sides
  const question: Piece[] = [];
  let cursor = 0;
  const text = demo.question;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    question.push(text.slice(cursor, words[span.start]!.start));
    question.push({ slot: span.slot });
    cursor = words[span.end - 1]!.end;
  }
  question.push(text.slice(cursor));
  const pieces: ProgramPiece[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const slot = tokenSlot.get(i);
    if (slot !== undefined) {
      pieces.push({ slot });
      continue;
    }
    const ref = refs.find((entry) => entry.first === i);
    if (ref?.kind === 'table') {
      const tableSlot = tableSlots.get(ref.table);
      pieces.push(tableSlot === undefined ? tokens[i]!.text : { slot: tableSlot });
      continue;
    }
    if (ref?.kind === 'column') {
      const columnSlot = columnSlots.get(`${ref.table}.${ref.column}`);
      const tableSlot = tableSlots.get(ref.table);
      const qualifier =
        ref.qualifier === undefined
          ? undefined
          : ref.qualifier.alias || tableSlot === undefined
            ? tokens[ref.qualifier.index]!.text
            : { slot: tableSlot };
      if (qualifier !== undefined) pieces.push(qualifier, '.');
      if (columnSlot !== undefined) pieces.push({ slot: columnSlot });
      else if (tableSlot !== undefined) pieces.push({ tableSlot, column: ref.column! });
      else pieces.push(tokens[ref.last]!.text);
      i = ref.last;
      continue;
    }
    pieces.push(tokens[i]!.text);
  }
  return { rule: { source: { ...demo, program }, slots, question, program: pieces } };
}

function inFromList(tokens: readonly SqlToken[], index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const text = tokens[i]!.text.toLowerCase();
    if (text === 'from') return true;
    if (text === '(' || text === ')' || (KEYWORDS.has(text) && text !== 'as')) return false;
  }
  return false;
}

/** The column a literal at `index` is compared with: `col = 'v'`, `col LIKE 'v'`, `col > 3`, `'v' = col`. */
function comparedColumn(refs: readonly Ref[], tokens: readonly SqlToken[], index: number): Ref | undefined {
  let op = index - 1;
  if (tokens[op]?.text === '-' || tokens[op]?.text === '+') op--;
  const operator = tokens[op]?.text.toLowerCase() ?? '';
  if (['=', '==', '!=', '<>', '<', '>', '<=', '>=', 'like'].includes(operator)) {
    const before = refs.find((ref) => ref.kind === 'column' && ref.last === op - 1);
    if (before) return before;
    if (operator === 'like' && tokens[op - 1]?.text.toLowerCase() === 'not')
      return refs.find((ref) => ref.kind === 'column' && ref.last === op - 2);
  }
  const after = tokens[index + 1]?.text.toLowerCase() ?? '';
  if (['=', '==', '!=', '<>'].includes(after))
    return refs.find((ref) => ref.kind === 'column' && ref.first === index + 2);
  return undefined;
}

/** A column compared with another column (`a.x = b.y`) is a join key, not something the question names. */
function isJoinKey(refs: readonly Ref[], tokens: readonly SqlToken[], ref: Ref): boolean {
  const columnAt = (first: number) => refs.some((other) => other.kind === 'column' && other.first === first);
  const endsAt = (last: number) => refs.some((other) => other.kind === 'column' && other.last === last);
  return refs
    .filter((other) => other.kind === 'column' && other.table === ref.table && other.column === ref.column)
    .some(
      (other) =>
        (tokens[other.last + 1]?.text === '=' && columnAt(other.last + 2)) ||
        (tokens[other.first - 1]?.text === '=' && endsAt(other.first - 2)),
    );
}

/** The words a question uses for a column: its name's words without the table's and without `name`/`id`. */
export function columnPhrase(table: string, column: string): string[] {
  const tableWords = new Set(wordsOf(table.replaceAll('_', ' ')));
  const words = nameWords(column);
  const rest = words.filter((word) => !tableWords.has(word));
  if (rest.length === 0 || rest.every((word) => word === 'name' || word === 'id')) return [];
  return rest.filter((word) => word !== 'name');
}

/** Whether `column` is the table's own name column (`river.river_name`, `state.state_name`). */
export function ownName(table: string, column: string): boolean {
  return (
    columnPhrase(table, column).length === 0 &&
    wordsOf(column.replaceAll('_', ' '))[0] === wordsOf(table.replaceAll('_', ' '))[0]
  );
}

/** The first unused span of `words` equal to `target`, or undefined. */
function findSpan(
  words: readonly Word[],
  target: readonly string[],
  used: readonly boolean[],
): { start: number; end: number } | undefined {
  if (target.length === 0) return undefined;
  for (let start = 0; start + target.length <= words.length; start++) {
    let ok = true;
    for (let k = 0; k < target.length && ok; k++)
      ok = !used[start + k] && words[start + k]!.folded === target[k];
    if (ok) return { start, end: start + target.length };
  }
  return undefined;
}
