// TaskRouter's worker-targeting expression language (a TaskQueue's `TargetWorkers`, a workflow
// target's `expression`): tokenizer, recursive-descent parser, and evaluator against a worker's
// attributes JSON. "Agents by queue" uses it to decide which workers belong to which queue.

/** A constant written in an expression, or one element of a list literal. */
type Scalar = string | number | boolean | null;

/** One step of an attribute path: an object key (`routing.skills`) or an array index (`skills[0]`). */
type PathSegment = string | number;

type Operand =
  | { readonly kind: 'literal'; readonly value: Scalar }
  | { readonly kind: 'list'; readonly items: readonly Scalar[] }
  | {
      readonly kind: 'attribute';
      readonly path: readonly PathSegment[];
      /** The path as written, for messages. */
      readonly text: string;
    };

/** `=` is parsed as `==`; `&&`/`||`/`!` become `and`/`or`/`not` nodes. */
type ComparisonOperator = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'IN' | 'NOT IN' | 'HAS' | 'CONTAINS';

export type Expression =
  | {
      readonly kind: 'comparison';
      readonly operator: ComparisonOperator;
      readonly left: Operand;
      readonly right: Operand;
    }
  | { readonly kind: 'and'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'or'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'not'; readonly operand: Expression };

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  /** Zero-based character offset into the expression text where the problem was found. */
  readonly position: number;

  constructor(problem: string, position: number) {
    super(`${problem} (at position ${position})`);
    this.position = position;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

type Keyword = 'AND' | 'OR' | 'NOT' | 'IN' | 'HAS' | 'CONTAINS' | 'TRUE' | 'FALSE' | 'NULL';
type Comparator = '==' | '!=' | '<' | '>' | '<=' | '>=';
type Punctuation = '(' | ')' | '[' | ']' | ',';

interface TokenBase {
  /** The characters the token was read from, exactly as written. */
  readonly text: string;
  readonly position: number;
}
type Token = TokenBase &
  (
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'number'; readonly value: number }
    | { readonly kind: 'keyword'; readonly keyword: Keyword }
    | { readonly kind: 'attribute'; readonly path: readonly PathSegment[] }
    | { readonly kind: 'comparator'; readonly comparator: Comparator }
    | { readonly kind: 'punctuation'; readonly symbol: Punctuation }
    | { readonly kind: 'end' }
  );

/** Keywords are matched case-insensitively, as TaskRouter does (`HAS`, `has`, `Has`). */
const KEYWORDS: ReadonlyMap<string, Keyword> = new Map<string, Keyword>([
  ['and', 'AND'],
  ['or', 'OR'],
  ['not', 'NOT'],
  ['in', 'IN'],
  ['has', 'HAS'],
  ['contains', 'CONTAINS'],
  ['true', 'TRUE'],
  ['false', 'FALSE'],
  ['null', 'NULL'],
]);

type SymbolMeaning =
  | { readonly kind: 'keyword'; readonly keyword: Keyword }
  | { readonly kind: 'comparator'; readonly comparator: Comparator }
  | { readonly kind: 'punctuation'; readonly symbol: Punctuation };

/** Longest first, so `<=` is not read as `<` then `=`. */
const SYMBOLS: ReadonlyArray<readonly [string, SymbolMeaning]> = [
  ['==', { kind: 'comparator', comparator: '==' }],
  ['!=', { kind: 'comparator', comparator: '!=' }],
  ['<=', { kind: 'comparator', comparator: '<=' }],
  ['>=', { kind: 'comparator', comparator: '>=' }],
  ['&&', { kind: 'keyword', keyword: 'AND' }],
  ['||', { kind: 'keyword', keyword: 'OR' }],
  ['=', { kind: 'comparator', comparator: '==' }],
  ['<', { kind: 'comparator', comparator: '<' }],
  ['>', { kind: 'comparator', comparator: '>' }],
  ['!', { kind: 'keyword', keyword: 'NOT' }],
  ['(', { kind: 'punctuation', symbol: '(' }],
  [')', { kind: 'punctuation', symbol: ')' }],
  ['[', { kind: 'punctuation', symbol: '[' }],
  [']', { kind: 'punctuation', symbol: ']' }],
  [',', { kind: 'punctuation', symbol: ',' }],
];

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_-]*/u;
const IDENTIFIER_START = /^[\p{L}_]/u;
const IDENTIFIER_CHAR = /[\p{L}\p{N}_.-]/u;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const DIGIT = /\d/;
const WHITESPACE = /\s/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = skipWhitespace(source, 0);
  while (position < source.length) {
    const token = readToken(source, position);
    tokens.push(token);
    position = skipWhitespace(source, position + token.text.length);
  }
  tokens.push({ kind: 'end', text: '', position: source.length });
  return tokens;
}

function skipWhitespace(source: string, position: number): number {
  let next = position;
  while (next < source.length && WHITESPACE.test(source.charAt(next))) next += 1;
  return next;
}

function readToken(source: string, position: number): Token {
  const char = source.charAt(position);
  if (char === '"' || char === "'") return readString(source, position);
  if (DIGIT.test(char) || (char === '-' && DIGIT.test(source.charAt(position + 1)))) {
    return readNumber(source, position);
  }
  if (IDENTIFIER_START.test(source.slice(position))) return readWord(source, position);
  for (const [text, meaning] of SYMBOLS) {
    if (source.startsWith(text, position)) return { ...meaning, text, position };
  }
  throw new ExpressionError(`Unexpected character '${char}'`, position);
}

/** Strings take either quote; backslash escapes the quote, `\\`, `\n`, `\t`, `\r` and `\uXXXX`. */
function readString(source: string, start: number): Token {
  const quote = source.charAt(start);
  let value = '';
  let position = start + 1;
  while (position < source.length) {
    const char = source.charAt(position);
    if (char === quote) {
      return { kind: 'string', value, text: source.slice(start, position + 1), position: start };
    }
    if (char === '\\' && position + 1 < source.length) {
      const escape = readEscape(source, position);
      value += escape.value;
      position += escape.length;
      continue;
    }
    value += char;
    position += 1;
  }
  throw new ExpressionError(`Unterminated string starting with ${quote}`, start);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

function readEscape(source: string, backslash: number): { value: string; length: number } {
  const code = source.charAt(backslash + 1);
  if (code === 'u') {
    const hex = source.slice(backslash + 2, backslash + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
      throw new ExpressionError('Invalid \\u escape: expected four hex digits', backslash);
    }
    return { value: String.fromCharCode(parseInt(hex, 16)), length: 6 };
  }
  // Anything else (\\, \', \", \/) stands for itself.
  return { value: SIMPLE_ESCAPES[code] ?? code, length: 2 };
}

function readNumber(source: string, start: number): Token {
  const text = NUMBER.exec(source.slice(start))?.[0] ?? '';
  const after = source.charAt(start + text.length);
  if (text === '' || (after !== '' && IDENTIFIER_CHAR.test(after))) {
    const written = /^[^\s()[\],]+/.exec(source.slice(start))?.[0] ?? text;
    throw new ExpressionError(`Invalid number '${written}'`, start);
  }
  return { kind: 'number', value: Number(text), text, position: start };
}

/** A keyword, or an attribute path: `skills`, `routing.skills`, `worker.languages[0]`. */
function readWord(source: string, start: number): Token {
  const first = IDENTIFIER.exec(source.slice(start))?.[0] ?? '';
  const keyword = KEYWORDS.get(first.toLowerCase());
  let position = start + first.length;
  if (keyword && source.charAt(position) !== '.') {
    return { kind: 'keyword', keyword, text: first, position: start };
  }
  const path: PathSegment[] = [first];
  for (;;) {
    const segment = readPathSegment(source, position);
    if (!segment) break;
    path.push(segment.segment);
    position += segment.length;
  }
  return { kind: 'attribute', path, text: source.slice(start, position), position: start };
}

function readPathSegment(source: string, position: number): { segment: PathSegment; length: number } | undefined {
  const char = source.charAt(position);
  if (char === '.') {
    const name = IDENTIFIER.exec(source.slice(position + 1))?.[0];
    if (!name) throw new ExpressionError("Expected an attribute name after '.'", position + 1);
    return { segment: name, length: name.length + 1 };
  }
  if (char === '[') {
    // `skills[0]` indexes an array; `[` followed by anything else is left for the parser.
    const index = /^\[(\d+)\]/.exec(source.slice(position));
    if (index?.[1] !== undefined) return { segment: Number(index[1]), length: index[0].length };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Parser:  or := and (OR and)* ;  and := unary (AND unary)* ;  unary := NOT unary | primary ;
//          primary := '(' or ')' | operand comparator operand

/** Deep enough for any real queue; stops `((((…` from overflowing the stack. */
const MAX_NESTING = 64;

function isComparisonKeyword(keyword: Keyword): keyword is 'IN' | 'HAS' | 'CONTAINS' {
  return keyword === 'IN' || keyword === 'HAS' || keyword === 'CONTAINS';
}

class Parser {
  private index = 0;
  private nesting = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Expression {
    if (this.peek().kind === 'end') throw new ExpressionError('Empty expression', 0);
    const expression = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw new ExpressionError(`Unexpected ${describe(next)}; expected AND, OR or the end`, next.position);
    }
    return expression;
  }

  private parseOr(): Expression {
    let left = this.parseAnd();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): Expression {
    let left = this.parseUnary();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.parseUnary() };
    return left;
  }

  private parseUnary(): Expression {
    const token = this.peek();
    if (!this.acceptKeyword('NOT')) return this.parsePrimary();
    return this.nested(token, () => ({ kind: 'not', operand: this.parseUnary() }));
  }

  private parsePrimary(): Expression {
    const open = this.peek();
    if (!this.acceptPunctuation('(')) return this.parseComparison();
    const inner = this.nested(open, () => this.parseOr());
    if (!this.acceptPunctuation(')')) {
      const found = this.peek();
      throw new ExpressionError(`Missing ')' to close '(' at position ${open.position}; found ${describe(found)}`, found.position);
    }
    return inner;
  }

  private parseComparison(): Expression {
    const leftToken = this.peek();
    const left = this.parseOperand();
    const operator = this.parseComparisonOperator(leftToken);
    const right = this.parseOperand();
    return { kind: 'comparison', operator, left, right };
  }

  private parseComparisonOperator(leftToken: Token): ComparisonOperator {
    const token = this.next();
    if (token.kind === 'comparator') return token.comparator;
    if (token.kind === 'keyword' && isComparisonKeyword(token.keyword)) return token.keyword;
    if (token.kind === 'keyword' && token.keyword === 'NOT') {
      const following = this.next();
      if (following.kind === 'keyword' && following.keyword === 'IN') return 'NOT IN';
      throw new ExpressionError(`Expected IN after NOT, found ${describe(following)}`, following.position);
    }
    throw new ExpressionError(
      `Expected a comparison operator (==, !=, <, >, <=, >=, IN, NOT IN, HAS, CONTAINS) after ` +
        `${describe(leftToken)}, found ${describe(token)}`,
      token.position,
    );
  }

  private parseOperand(): Operand {
    const token = this.peek();
    if (token.kind === 'attribute') {
      this.index += 1;
      return { kind: 'attribute', path: token.path, text: token.text };
    }
    if (token.kind === 'punctuation' && token.symbol === '[') return this.parseList();
    const value = this.parseScalar();
    if (value === undefined) {
      throw new ExpressionError(`Expected a value or attribute name, found ${describe(token)}`, token.position);
    }
    return { kind: 'literal', value: value.scalar };
  }

  /** Wrapped so that `null` (a valid constant) is distinguishable from "not a constant". */
  private parseScalar(): { scalar: Scalar } | undefined {
    const token = this.peek();
    const scalar = scalarOf(token);
    if (scalar !== undefined) this.index += 1;
    return scalar;
  }

  private parseList(): Operand {
    const open = this.next();
    const items: Scalar[] = [];
    if (this.acceptPunctuation(']')) return { kind: 'list', items };
    for (;;) {
      const element = this.peek();
      const value = this.parseScalar();
      if (value === undefined) {
        throw new ExpressionError(`Expected a constant in the list, found ${describe(element)}`, element.position);
      }
      items.push(value.scalar);
      if (this.acceptPunctuation(']')) return { kind: 'list', items };
      if (!this.acceptPunctuation(',')) {
        const found = this.peek();
        throw new ExpressionError(
          `Expected ',' or ']' in the list opened at position ${open.position}, found ${describe(found)}`,
          found.position,
        );
      }
    }
  }

  private nested<T>(opener: Token, parse: () => T): T {
    if (this.nesting >= MAX_NESTING) {
      throw new ExpressionError(`Expression nested more than ${MAX_NESTING} levels deep`, opener.position);
    }
    this.nesting += 1;
    try {
      return parse();
    } finally {
      this.nesting -= 1;
    }
  }

  private acceptKeyword(keyword: Keyword): boolean {
    const token = this.peek();
    if (token.kind !== 'keyword' || token.keyword !== keyword) return false;
    this.index += 1;
    return true;
  }

  private acceptPunctuation(symbol: Punctuation): boolean {
    const token = this.peek();
    if (token.kind !== 'punctuation' || token.symbol !== symbol) return false;
    this.index += 1;
    return true;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.endToken();
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private endToken(): Token {
    const last = this.tokens[this.tokens.length - 1];
    return last ?? { kind: 'end', text: '', position: 0 };
  }
}

function scalarOf(token: Token): { scalar: Scalar } | undefined {
  if (token.kind === 'string' || token.kind === 'number') return { scalar: token.value };
  if (token.kind !== 'keyword') return undefined;
  if (token.keyword === 'TRUE') return { scalar: true };
  if (token.keyword === 'FALSE') return { scalar: false };
  if (token.keyword === 'NULL') return { scalar: null };
  return undefined;
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  if (token.kind === 'string') return `string ${token.text}`;
  return `'${token.text}'`;
}

export function parseExpression(text: string): Expression {
  return new Parser(tokenize(text)).parse();
}

// ---------------------------------------------------------------------------------------------
// Evaluator
//
// Semantics chosen (TaskRouter documents the syntax but not every edge):
// - A missing attribute makes its comparison false, for every operator: `department != 'sales'`
//   and `level NOT IN [1]` do not match a worker with no `department`/`level`. TaskRouter only
//   targets workers that carry the attribute, and a queue membership count should not swell with
//   workers whose attributes were never filled in. `NOT (...)` is plain negation, so
//   `NOT (skills HAS 'x')` does match a worker without `skills`.
// - `==`/`!=` compare scalars of the same type; a number equals a numeric string (`"5" == 5`) as in
//   TaskRouter. `!=` is true only when both sides are scalars and not equal.
// - `<`, `>`, `<=`, `>=` compare number with number or string with string (code-unit order);
//   any other pairing, including number against numeric string, is false.
// - `x IN list` / `x NOT IN list`: scalar x against a list literal or an array attribute; false if
//   the right side is not an array.
// - `array HAS value`: an element equals value (strings case-sensitively); false on non-arrays.
// - `text CONTAINS part`: substring test on strings; on an array it behaves like HAS.

/** `undefined` stands for "attribute not present"; JSON cannot hold `undefined` itself. */
type Resolved = unknown;

export function evaluate(expr: Expression, attributes: unknown): boolean {
  try {
    return evaluateNode(expr, attributes);
  } catch {
    // Only reachable through hostile inputs (throwing getters, a hand-built cyclic AST).
    return false;
  }
}

function evaluateNode(expr: Expression, attributes: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluateNode(expr.left, attributes) && evaluateNode(expr.right, attributes);
    case 'or':
      return evaluateNode(expr.left, attributes) || evaluateNode(expr.right, attributes);
    case 'not':
      return !evaluateNode(expr.operand, attributes);
    case 'comparison':
      return compare(expr.operator, resolve(expr.left, attributes), resolve(expr.right, attributes));
  }
}

function resolve(operand: Operand, attributes: unknown): Resolved {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'list':
      return operand.items;
    case 'attribute':
      return resolveAttribute(operand.path, attributes);
  }
}

/**
 * Queue expressions name worker attributes directly (`skills`); workflow target expressions say
 * `worker.skills`. Try the path as written first, so an attribute literally called `worker` wins.
 */
function resolveAttribute(path: readonly PathSegment[], attributes: unknown): Resolved {
  const direct = lookup(attributes, path);
  if (direct !== undefined || path.length < 2 || path[0] !== 'worker') return direct;
  return lookup(attributes, path.slice(1));
}

function lookup(root: unknown, path: readonly PathSegment[]): Resolved {
  let current: unknown = root;
  for (const segment of path) {
    current = step(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

function step(value: unknown, segment: PathSegment): Resolved {
  if (typeof segment === 'number') return Array.isArray(value) ? (value[segment] as unknown) : undefined;
  // Own properties only: `constructor` or `toString` must not resolve through the prototype.
  return isRecord(value) && Object.hasOwn(value, segment) ? value[segment] : undefined;
}

function compare(operator: ComparisonOperator, left: Resolved, right: Resolved): boolean {
  if (left === undefined || right === undefined) return false;
  switch (operator) {
    case '==':
      return looselyEqual(left, right);
    case '!=':
      return isScalar(left) && isScalar(right) && !looselyEqual(left, right);
    case '<':
      return ordered(left, right, (comparison) => comparison < 0);
    case '>':
      return ordered(left, right, (comparison) => comparison > 0);
    case '<=':
      return ordered(left, right, (comparison) => comparison <= 0);
    case '>=':
      return ordered(left, right, (comparison) => comparison >= 0);
    case 'IN':
      return isScalar(left) && Array.isArray(right) && includesValue(right, left);
    case 'NOT IN':
      return isScalar(left) && Array.isArray(right) && !includesValue(right, left);
    case 'HAS':
      return Array.isArray(left) && isScalar(right) && includesValue(left, right);
    case 'CONTAINS':
      return contains(left, right);
  }
}

function contains(left: unknown, right: unknown): boolean {
  if (typeof left === 'string' && typeof right === 'string') return left.includes(right);
  return Array.isArray(left) && isScalar(right) && includesValue(left, right);
}

function includesValue(array: readonly unknown[], value: Scalar): boolean {
  return array.some((element: unknown) => looselyEqual(element, value));
}

function looselyEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'string') return a === numericValue(b);
  if (typeof a === 'string' && typeof b === 'number') return numericValue(a) === b;
  return isScalar(a) && a === b;
}

function ordered(a: unknown, b: unknown, accept: (comparison: number) => boolean): boolean {
  const comparison = order(a, b);
  return comparison !== undefined && accept(comparison);
}

/** Negative, zero or positive like a sort comparator; `undefined` when the pair is not ordered. */
function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

const NUMERIC_STRING = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function numericValue(text: string): number {
  const trimmed = text.trim();
  return NUMERIC_STRING.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Compiled matchers

type WorkerMatcher = (attributes: unknown) => boolean;

/**
 * Matchers by expression text. A workspace has a handful of queue expressions, each evaluated for
 * every worker on every refresh, so parsing once pays; the bound keeps odd input from growing it.
 */
const MATCHER_CACHE_LIMIT = 256;
const matcherCache = new Map<string, WorkerMatcher>();

const matchesNobody: WorkerMatcher = () => false;

export function compileExpression(text: string): (attributes: unknown) => boolean {
  const cached = matcherCache.get(text);
  if (cached) return cached;
  const matcher = buildMatcher(text);
  if (matcherCache.size >= MATCHER_CACHE_LIMIT) {
    const oldest = matcherCache.keys().next();
    if (!oldest.done) matcherCache.delete(oldest.value);
  }
  matcherCache.set(text, matcher);
  return matcher;
}

function buildMatcher(text: string): WorkerMatcher {
  try {
    const expression = parseExpression(text);
    return (attributes) => evaluate(expression, attributes);
  } catch {
    // A queue whose expression we cannot read has no members we can vouch for.
    return matchesNobody;
  }
}

export function matchesExpression(text: string, attributes: unknown): boolean {
  return compileExpression(text)(attributes);
}
