import { parseDateLiteral } from './timeFormats';

/**
 * The filter language of the result search box:
 *
 *   heart                         text: any string or number value contains it (case-insensitive)
 *   "Apple Watch"                 quoted text (may contain spaces and operators)
 *   value > 180                   a field condition: = != > >= < <= and ~ (contains, case-insensitive)
 *   unit = "count/min"            string literal (quotes optional when it has no spaces)
 *   start_date >= 2024-01-01      dates compare as instants (UTC when no offset is given);
 *                                 `= 2024-01-01` (a date without a time) means that whole UTC day
 *   metadata.source = null        dotted paths reach nested fields; true, false, null are literals
 *   value > 180 and unit = "count/min" and watch     clauses combined with `and`
 *
 * Several bare words in a row are separate text terms, all required.
 */

export type ComparisonOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

export type Literal =
  | { readonly type: 'number'; readonly value: number }
  | {
      readonly type: 'string';
      readonly value: string;
      /** Epoch ms when the text is a date literal. */ readonly dateMs?: number;
      readonly dateOnly?: boolean;
    }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' };

export type Clause =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'condition';
      readonly path: readonly string[];
      readonly operator: ComparisonOperator;
      readonly literal: Literal;
    };

export interface ParsedQuery {
  readonly clauses: readonly Clause[];
}

/** A query the parser rejected; `column` is 1-based. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} (at column ${column})`);
    this.name = 'QueryError';
  }
}

interface Token {
  readonly type: 'word' | 'string' | 'operator';
  readonly text: string;
  readonly column: number;
}

const OPERATOR_CHARS = '=!<>~';
const OPERATORS: readonly ComparisonOperator[] = ['>=', '<=', '!=', '=', '>', '<', '~'];
const PATH_SEGMENT = /^[A-Za-z_$][\w$-]*$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const MAX_QUERY_LENGTH = 2000;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const start = i;
      let text = '';
      i++;
      while (i < query.length && query[i] !== c) {
        if (query[i] === '\\' && i + 1 < query.length) i++;
        text += query.charAt(i++);
      }
      if (i >= query.length) throw new QueryError(`Unterminated ${c === '"' ? 'double' : 'single'} quote`, start + 1);
      i++;
      tokens.push({ type: 'string', text, column: start + 1 });
    } else if (OPERATOR_CHARS.includes(c)) {
      const op = OPERATORS.find((o) => query.startsWith(o, i));
      if (!op) throw new QueryError(`Unknown operator '${c}'; use = != > >= < <= or ~`, i + 1);
      tokens.push({ type: 'operator', text: op, column: i + 1 });
      i += op.length;
    } else {
      const start = i;
      while (
        i < query.length &&
        !/\s/.test(query.charAt(i)) &&
        !OPERATOR_CHARS.includes(query.charAt(i)) &&
        query[i] !== '"' &&
        query[i] !== "'"
      )
        i++;
      tokens.push({ type: 'word', text: query.slice(start, i), column: start + 1 });
    }
  }
  return tokens;
}

function literalOf(token: Token): Literal {
  if (token.type === 'word') {
    if (NUMBER.test(token.text)) return { type: 'number', value: Number(token.text) };
    if (token.text === 'true' || token.text === 'false') return { type: 'boolean', value: token.text === 'true' };
    if (token.text === 'null') return { type: 'null' };
  }
  const dateMs = parseDateLiteral(token.text);
  if (dateMs === undefined) return { type: 'string', value: token.text };
  return { type: 'string', value: token.text, dateMs, dateOnly: !token.text.includes('T') };
}

function parsePath(token: Token): string[] {
  const segments = token.text.split('.');
  const bad = segments.find((s) => !PATH_SEGMENT.test(s));
  if (bad !== undefined)
    throw new QueryError(`'${token.text}' is not a field name (use letters, digits, _ and dots)`, token.column);
  return segments;
}

/** Parses a filter; throws `QueryError` with a plain-words message and the column of the problem. */
export function parseQuery(query: string): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH)
    throw new QueryError(`The query is longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH);
  const tokens = tokenize(query);
  if (tokens.length === 0) throw new QueryError('The query is empty', 1);
  const clauses: Clause[] = [];
  let i = 0;
  let expectClause = true;
  for (let token = tokens[0]; token !== undefined; token = tokens[i]) {
    if (token.type === 'word' && token.text.toLowerCase() === 'and') {
      if (expectClause)
        throw new QueryError(
          `'and' needs a condition ${clauses.length ? 'after the previous one' : 'before it'}`,
          token.column,
        );
      expectClause = true;
      i++;
      continue;
    }
    if (token.type === 'operator') throw new QueryError(`Expected a field name before '${token.text}'`, token.column);
    const next = tokens[i + 1];
    if (next?.type === 'operator') {
      if (token.type !== 'word')
        throw new QueryError(`A field name cannot be quoted: write ${token.text} ${next.text} …`, token.column);
      const path = parsePath(token);
      const value = tokens[i + 2];
      if (!value || value.type === 'operator') {
        throw new QueryError(
          `Expected a value after '${token.text} ${next.text}'`,
          value?.column ?? next.column + next.text.length,
        );
      }
      const literal = literalOf(value);
      const operator = next.text as ComparisonOperator;
      if (operator === '~' && literal.type !== 'string') {
        throw new QueryError(`'~' (contains) needs text, e.g. ${token.text} ~ "watch"`, value.column);
      }
      if (literal.type === 'boolean' || literal.type === 'null') {
        if (operator !== '=' && operator !== '!=')
          throw new QueryError(
            `${literal.type === 'null' ? 'null' : value.text} can only be compared with = or !=`,
            next.column,
          );
      }
      clauses.push({ kind: 'condition', path, operator, literal });
      i += 3;
    } else {
      if (token.text.length === 0) throw new QueryError('Empty text in quotes', token.column);
      clauses.push({ kind: 'text', text: token.text });
      i++;
    }
    expectClause = false;
  }
  if (expectClause) throw new QueryError(`'and' at the end needs a condition after it`, query.length);
  return { clauses };
}
