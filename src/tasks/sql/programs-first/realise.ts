import { columnWords, tableNoun } from './names.js';
import type {
  ColumnRef,
  ComparisonOp,
  Expr,
  Predicate,
  Program,
  SelectQuery,
  SetQuery,
  Value,
} from './program.js';

/**
 * The canonical English question of a program: one template per construct, built from table and
 * column names (Overnight's canonical utterances: faithful first, fluent enough to paraphrase).
 * @example
 * realiseQuestion(program); // 'How many cities are there whose state name is 'texas'?'
 */
export function realiseQuestion(program: Program): string {
  return capitalise(program.kind === 'set' ? setQuestion(program) : selectQuestion(program));
}

const COMPARISONS: Record<ComparisonOp, string> = {
  '=': 'is',
  '!=': 'is not',
  '>': 'is greater than',
  '<': 'is less than',
  '>=': 'is at least',
  '<=': 'is at most',
};

const AGGREGATE_WORDS = { sum: 'total', avg: 'average', max: 'highest', min: 'lowest' } as const;

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function value(item: Value): string {
  return typeof item === 'number' ? String(item) : `'${item}'`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Words for a column: qualified by its table when the query reads several tables. */
function column(query: SelectQuery, ref: ColumnRef): string {
  const table = query.sources[ref.source]!;
  const words = columnWords(table, ref.column);
  if (query.sources.length === 1) return words;
  const owner = tableNoun(table, 'singular');
  return words.startsWith(owner) ? words : `${owner} ${words}`;
}

/** The rows a query is about: `cities`, or `cities and their states` for a join. */
function subject(query: SelectQuery): string {
  const [base, ...others] = query.sources;
  const head = tableNoun(base!, 'plural');
  if (others.length === 0) return head;
  return `${head} together with their ${list(others.map((table) => tableNoun(table, 'plural')))}`;
}

function expression(query: SelectQuery, expr: Expr): string {
  if (expr.kind === 'column') return column(query, expr.ref);
  if (expr.fn === 'count') {
    if (expr.ref === null) return `number of ${tableNoun(query.sources[0]!, 'plural')}`;
    return `number of ${expr.distinct ? 'different ' : ''}${column(query, expr.ref)} values`;
  }
  return `${AGGREGATE_WORDS[expr.fn]} ${column(query, expr.ref!)}`;
}

/** A relative clause for the WHERE conditions: ` whose population is greater than 5 and ...`. */
function whereClause(query: SelectQuery): string {
  if (!query.where) return '';
  const parts = query.where.predicates.map((predicate) => predicateText(query, predicate));
  return ` ${parts.join(query.where.connector === 'or' ? ' or ' : ' and ')}`;
}

function predicateText(query: SelectQuery, predicate: Predicate): string {
  switch (predicate.kind) {
    case 'compare':
      return `whose ${column(query, predicate.ref)} ${COMPARISONS[predicate.op]} ${value(predicate.value)}`;
    case 'like':
      return `whose ${column(query, predicate.ref)} contains '${predicate.word}'`;
    case 'in': {
      const inner = predicate.query;
      const innerColumn = expression(inner, inner.select[0]!);
      return `whose ${column(query, predicate.ref)} ${predicate.negated ? 'is not' : 'is'} among the ${innerColumn} values of ${subject(inner)}${whereClause(inner)}`;
    }
    case 'scalar': {
      const inner = predicate.query;
      return `whose ${column(query, predicate.ref)} ${COMPARISONS[predicate.op]} the ${expression(inner, inner.select[0]!)} of all ${subject(inner)}${whereClause(inner)}`;
    }
    case 'exists': {
      const inner = predicate.query;
      const other = tableNoun(inner.sources[0]!, 'singular');
      const innerWhere = whereClause(inner).replace(/^ whose/, ' and whose');
      return `for which there is ${predicate.negated ? 'no' : 'a'} ${other} with the same ${column(query, predicate.outer)}${innerWhere}`;
    }
  }
}

function orderText(query: SelectQuery): string {
  if (!query.orderBy) return '';
  const key = expression(query, query.orderBy.expr);
  const descending = query.orderBy.direction === 'desc';
  const text0 = query.orderBy.alphabetical
    ? `, sorted by ${key} in ${descending ? 'reverse ' : ''}alphabetical order`
    : `, sorted by ${key} from ${descending ? 'highest to lowest' : 'lowest to highest'}`;
  let text = text0;
  if (query.limit !== undefined)
    text += query.limit === 1 ? ', giving only the first' : `, giving only the first ${query.limit}`;
  return text;
}

function selectQuestion(query: SelectQuery): string {
  const where = whereClause(query);
  const shown = query.select.map((expr) => expression(query, expr));
  if (query.groupBy) {
    const groups = list(query.groupBy.map((ref) => column(query, ref)));
    let text = `for each ${groups} of ${subject(query)}${where}, give the ${list(shown)}`;
    if (query.having) {
      text += `, only for ${groups} values whose ${expression(query, query.having.expr)} ${COMPARISONS[query.having.op]} ${query.having.value}`;
    }
    return `${text}${orderText(query)}.`;
  }
  const allAggregates = query.select.every((expr) => expr.kind === 'aggregate');
  if (allAggregates && !query.orderBy) {
    const only = query.select[0]!;
    if (query.select.length === 1 && only.kind === 'aggregate' && only.fn === 'count' && only.ref === null) {
      return `how many ${subject(query)} are there${where}?`;
    }
    return `what ${shown.length > 1 ? 'are' : 'is'} the ${list(shown)} of ${subject(query)}${where}?`;
  }
  if (query.orderBy && query.limit === 1 && !allAggregates) {
    const key = expression(query, query.orderBy.expr);
    const descending = query.orderBy.direction === 'desc';
    const which = query.orderBy.alphabetical
      ? `comes ${descending ? 'last' : 'first'} in alphabetical order of ${key}`
      : `has the ${descending ? 'highest' : 'lowest'} ${key}`;
    return `of the ${subject(query)}${where}, which one ${which}? Give its ${list(shown)}.`;
  }
  const distinct = query.distinct ? 'distinct ' : '';
  const noun = query.distinct ? `${list(shown)} values` : list(shown);
  return `list the ${distinct}${noun} of ${subject(query)}${where}${orderText(query)}.`;
}

function setQuestion(program: SetQuery): string {
  const side = (query: SelectQuery) =>
    `${expression(query, query.select[0]!)} values of ${subject(query)}${whereClause(query)}`;
  const left = side(program.left);
  const right = side(program.right);
  if (program.op === 'union') return `list the ${left}, together with the ${right}, each value once.`;
  if (program.op === 'intersect') return `which ${left} are also ${right}?`;
  return `which ${left} are not ${right}?`;
}
