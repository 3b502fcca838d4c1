import { describe, it, expect } from 'vitest';
import { ExpressionError, compileExpression, evaluate, matchesExpression, parseExpression, type Expression } from './expression';

function errorFrom(text: string): ExpressionError {
  try {
    parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${text} not to parse`);
}

describe('parseExpression', () => {
  it('reads a queue expression into a comparison node', () => {
    expect(parseExpression(`skills HAS "sales"`)).toEqual({
      kind: 'comparison',
      operator: 'HAS',
      left: { kind: 'attribute', path: ['skills'], text: 'skills' },
      right: { kind: 'literal', value: 'sales' },
    });
  });

  it('treats a single = as ==', () => {
    const single = parseExpression(`department = 'sales'`);
    expect(single).toMatchObject({ kind: 'comparison', operator: '==' });
    expect(evaluate(single, { department: 'sales' })).toBe(true);
  });

  it('binds AND tighter than OR', () => {
    const tree = parseExpression('a == 1 OR b == 2 AND c == 3');
    expect(tree).toMatchObject({
      kind: 'or',
      left: { kind: 'comparison', left: { path: ['a'] } },
      right: { kind: 'and', left: { left: { path: ['b'] } }, right: { left: { path: ['c'] } } },
    });
    const leading = parseExpression('a == 1 AND b == 2 OR c == 3');
    expect(leading).toMatchObject({ kind: 'or', left: { kind: 'and' }, right: { kind: 'comparison' } });
  });

  it.each([
    ['a == 1 OR b == 2 AND c == 3', { a: 1, b: 0, c: 0 }, true],
    ['a == 1 OR b == 2 AND c == 3', { a: 0, b: 2, c: 0 }, false],
    ['a == 1 OR b == 2 AND c == 3', { a: 0, b: 2, c: 3 }, true],
    ['a == 1 AND b == 2 OR c == 3', { a: 0, b: 0, c: 3 }, true],
    ['a == 1 AND b == 2 OR c == 3', { a: 1, b: 0, c: 0 }, false],
    ['(a == 1 OR b == 2) AND c == 3', { a: 1, b: 0, c: 0 }, false],
    ['(a == 1 OR b == 2) AND c == 3', { a: 1, b: 0, c: 3 }, true],
    ['a == 1 AND (b == 2 OR c == 3)', { a: 1, b: 0, c: 3 }, true],
    ['a == 1 AND (b == 2 OR c == 3)', { a: 0, b: 2, c: 3 }, false],
  ])('%s with %j → %s', (text, attributes, expected) => {
    expect(evaluate(parseExpression(text), attributes)).toBe(expected);
  });

  it('lets parentheses override precedence', () => {
    expect(parseExpression('(a == 1 OR b == 2) AND c == 3')).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { kind: 'comparison' },
    });
  });

  it('reads NOT IN as one operator and NOT before a group as negation', () => {
    expect(parseExpression('level NOT IN [1, 2]')).toMatchObject({ operator: 'NOT IN' });
    expect(parseExpression('NOT (level == 1)')).toMatchObject({ kind: 'not', operand: { operator: '==' } });
    expect(parseExpression('!(level == 1)')).toMatchObject({ kind: 'not' });
  });

  it('accepts keywords in any case and the && / || spellings', () => {
    const variants = [
      `skills has 'a' and level >= 1 or level in [9]`,
      `skills Has 'a' AnD level >= 1 oR level In [9]`,
      `skills HAS 'a' && level >= 1 || level IN [9]`,
    ];
    const [first, ...others] = variants.map((text) => parseExpression(text));
    for (const other of others) expect(other).toEqual(first);
  });

  it('reads literals: both quotes, escapes, negative and fractional numbers, booleans, null', () => {
    const rightOf = (text: string): unknown => {
      const tree: Expression = parseExpression(`x == ${text}`);
      return tree.kind === 'comparison' && tree.right.kind === 'literal' ? tree.right.value : 'not a literal';
    };
    expect(rightOf(`'single'`)).toBe('single');
    expect(rightOf(`"double"`)).toBe('double');
    expect(rightOf(`"it's"`)).toBe("it's");
    expect(rightOf(`'say "hi"'`)).toBe('say "hi"');
    expect(rightOf(`'O\\'Brien'`)).toBe("O'Brien");
    expect(rightOf(`"a \\"quoted\\" word"`)).toBe('a "quoted" word');
    expect(rightOf(`'back\\\\slash'`)).toBe('back\\slash');
    expect(rightOf(`"tab\\there"`)).toBe('tab\there');
    expect(rightOf(`'caf\\u00e9'`)).toBe('café');
    expect(rightOf('-3')).toBe(-3);
    expect(rightOf('5.1')).toBe(5.1);
    expect(rightOf('-0.25')).toBe(-0.25);
    expect(rightOf('1e3')).toBe(1000);
    expect(rightOf('TRUE')).toBe(true);
    expect(rightOf('false')).toBe(false);
    expect(rightOf('null')).toBe(null);
  });

  it('reads list literals of mixed constants, including the empty list', () => {
    expect(parseExpression(`x IN ['a', "b", 1, -2.5, true, null]`)).toMatchObject({
      right: { kind: 'list', items: ['a', 'b', 1, -2.5, true, null] },
    });
    expect(parseExpression('x IN []')).toMatchObject({ right: { kind: 'list', items: [] } });
  });

  it('reads dotted paths, array indices, and hyphens or digits inside names', () => {
    expect(parseExpression('routing.skills[0] == 1')).toMatchObject({
      left: { kind: 'attribute', path: ['routing', 'skills', 0] },
    });
    expect(parseExpression('worker.team-name_2 == 1')).toMatchObject({
      left: { path: ['worker', 'team-name_2'] },
    });
  });

  it('reads an operator glued to its operands', () => {
    expect(parseExpression('level>=-1')).toMatchObject({ operator: '>=', right: { value: -1 } });
    expect(parseExpression('level IN[1,2]')).toMatchObject({ operator: 'IN', right: { items: [1, 2] } });
  });
});

describe('syntax errors', () => {
  it.each([
    ['', 0, /Empty expression/],
    ['   ', 0, /Empty expression/],
    [`name == 'abc`, 8, /Unterminated string/],
    [`name == "abc\\"`, 8, /Unterminated string/],
    ['(a == 1', 7, /Missing '\)' to close '\(' at position 0/],
    ['((a == 1) OR (b == 2)', 21, /Missing '\)'/],
    ['a == 1)', 6, /Unexpected '\)'/],
    ['a == 1 b == 2', 7, /Unexpected 'b'; expected AND, OR/],
    ['a ==', 4, /Expected a value or attribute name, found the end/],
    ['== 1', 0, /Expected a value or attribute name, found '=='/],
    ['skills', 6, /Expected a comparison operator .* after 'skills'/],
    ['a == 1 AND', 10, /Expected a value or attribute name/],
    ['a NOT 5', 6, /Expected IN after NOT/],
    ['a IN [1, 2', 10, /Expected ',' or '\]' in the list opened at position 5/],
    ['a IN [b]', 6, /Expected a constant in the list/],
    ['a == 1 & b == 2', 7, /Unexpected character '&'/],
    ['a == 12abc', 5, /Invalid number '12abc'/],
    ['routing. skills == 1', 8, /Expected an attribute name after '\.'/],
    [`a == '\\u12'`, 6, /Invalid \\u escape/],
  ])('rejects %j at position %i', (text, position, message) => {
    const error = errorFrom(text);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ExpressionError');
    expect(error.position).toBe(position);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`at position ${position}`);
    expect(error.message).not.toContain('\n');
  });

  it('refuses absurd nesting with an ExpressionError instead of overflowing the stack', () => {
    const deep = `${'('.repeat(500)}1==1${')'.repeat(500)}`;
    expect(errorFrom(deep).message).toMatch(/nested more than/);
    expect(errorFrom(`${'!'.repeat(500)}1==1`).message).toMatch(/nested more than/);
    expect(parseExpression(`${'('.repeat(20)}1==1${')'.repeat(20)}`)).toMatchObject({ kind: 'comparison' });
  });
});

describe('evaluate: operators', () => {
  const worker = {
    level: 3,
    score: 4.5,
    code: '5',
    name: 'Ana',
    department: 'sales',
    active: true,
    manager: null,
    skills: ['support', 'billing'],
    levels: [1, 2, 3],
    email: 'ana@example.com',
  };

  it.each([
    ['level == 3', true],
    ['level == 4', false],
    [`department == 'sales'`, true],
    [`department == 'Sales'`, false],
    ['active == true', true],
    ['active == false', false],
    ['manager == null', true],
    ['level == null', false],
    [`level == '3'`, true],
    ['code == 5', true],
    ['code == 6', false],
    [`name == 0`, false],
    ['level != 4', true],
    ['level != 3', false],
    [`department != 'retention'`, true],
    [`department != 'sales'`, false],
    [`level != '3'`, false],
    [`skills != 'support'`, false],
    [`manager != null`, false],
    [`active != false`, true],
    ['level < 4', true],
    ['level < 3', false],
    ['level > 2', true],
    ['level > 3', false],
    ['level <= 3', true],
    ['level <= 2.9', false],
    ['level >= 3', true],
    ['level >= 3.1', false],
    ['score > 4.25', true],
    ['level > -1', true],
    [`name < 'Bob'`, true],
    [`name > 'Bob'`, false],
    [`level > '1'`, false],
    [`code < 9`, false],
    [`department IN ['sales', 'retention']`, true],
    [`department IN ['support']`, false],
    ['level IN [1, 2, 3]', true],
    ['level IN [4, 5]', false],
    [`code IN [5]`, true],
    ['level IN []', false],
    [`department NOT IN ['support', 'retention']`, true],
    [`department NOT IN ['sales']`, false],
    ['level NOT IN [7, 8]', true],
    ['level NOT IN [3]', false],
    [`'billing' IN skills`, true],
    [`'sales' IN skills`, false],
    [`'sales' NOT IN skills`, true],
    [`'sales' IN department`, false],
    [`skills HAS 'support'`, true],
    [`skills HAS 'sales'`, false],
    [`skills HAS 'Support'`, false],
    ['levels HAS 2', true],
    [`levels HAS '2'`, true],
    ['levels HAS 4', false],
    [`department HAS 'sales'`, false],
    [`email CONTAINS '@example.com'`, true],
    [`email CONTAINS '@example.org'`, false],
    [`skills CONTAINS 'billing'`, true],
    [`skills CONTAINS 'bill'`, false],
    [`level CONTAINS '3'`, false],
    ['1 == 1', true],
    ['1==2', false],
    ['0 != 1', true],
    [`"apple" != "orange"`, true],
    [`'b' > 'a'`, true],
    [`3 IN [1, 2, 3]`, true],
    ['NOT (level == 3)', false],
    ['!(level == 4)', true],
    [`NOT skills HAS 'sales'`, true],
  ])('%s → %s', (text, expected) => {
    expect(evaluate(parseExpression(text), worker)).toBe(expected);
  });
});

describe('evaluate: missing attributes', () => {
  const newcomer = { full_name: 'New Hire' };

  it.each([
    `skills HAS 'support'`,
    `department == 'sales'`,
    `department != 'sales'`,
    'level < 100',
    'level >= 0',
    `department IN ['sales']`,
    `department NOT IN ['sales']`,
    `'sales' IN skills`,
    `'sales' NOT IN skills`,
    `email CONTAINS '@'`,
    'department == null',
    'level == level',
  ])('%s does not match a worker without the attribute', (text) => {
    expect(evaluate(parseExpression(text), newcomer)).toBe(false);
  });

  it('negating a failed comparison matches the worker without the attribute', () => {
    expect(evaluate(parseExpression(`NOT (skills HAS 'support')`), newcomer)).toBe(true);
  });
});

describe('evaluate: paths', () => {
  const agent = {
    routing: { skills: ['billing', 'tech'], levels: { billing: 4, tech: 1 } },
    languages: ['en', 'fr'],
    location: { country: 'FR', city: 'Lyon' },
    department: 'support',
  };

  it.each([
    [`routing.skills HAS 'billing'`, true],
    [`routing.skills HAS 'sales'`, false],
    ['routing.levels.billing >= 3', true],
    ['routing.levels.tech >= 3', false],
    [`location.country == 'FR'`, true],
    [`languages[1] == 'fr'`, true],
    [`languages[0] == 'fr'`, false],
    [`languages[5] == 'fr'`, false],
    [`routing.skills[1] == 'tech'`, true],
    [`department.name == 'support'`, false],
    [`location[0] == 'FR'`, false],
    [`routing.missing.deeper == 1`, false],
  ])('%s → %s', (text, expected) => {
    expect(evaluate(parseExpression(text), agent)).toBe(expected);
  });

  it('reads worker.-prefixed paths from the attributes root', () => {
    expect(evaluate(parseExpression(`worker.routing.skills HAS 'tech'`), agent)).toBe(true);
    expect(evaluate(parseExpression(`worker.languages HAS 'fr'`), agent)).toBe(true);
    expect(evaluate(parseExpression(`worker.languages HAS 'de'`), agent)).toBe(false);
    expect(evaluate(parseExpression(`worker.location.city == 'Lyon'`), agent)).toBe(true);
  });

  it('prefers an attribute literally named worker over stripping the prefix', () => {
    const nested = { worker: { team: 'blue' }, team: 'red' };
    expect(evaluate(parseExpression(`worker.team == 'blue'`), nested)).toBe(true);
    expect(evaluate(parseExpression(`worker.team == 'red'`), nested)).toBe(false);
    expect(evaluate(parseExpression(`worker.team == 'red'`), { team: 'red' })).toBe(true);
  });

  it('does not resolve task. paths against worker attributes', () => {
    expect(evaluate(parseExpression('task.priority > 0'), { priority: 5 })).toBe(false);
  });

  it('ignores inherited properties such as constructor and toString', () => {
    expect(evaluate(parseExpression(`constructor != 'x'`), {})).toBe(false);
    expect(evaluate(parseExpression(`toString CONTAINS 'function'`), {})).toBe(false);
  });
});

describe('evaluate: odd attribute documents', () => {
  const hasSkill = parseExpression(`skills HAS 'support'`);
  const everyone = parseExpression('1==1');

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"skills":["support"]}'],
    ['a number', 42],
    ['an array', [{ skills: ['support'] }]],
  ])('with %s, attribute comparisons are false but 1==1 still matches', (_label, attributes) => {
    expect(evaluate(hasSkill, attributes)).toBe(false);
    expect(evaluate(everyone, attributes)).toBe(true);
  });

  it('returns false rather than throwing when reading an attribute throws', () => {
    const hostile = new Proxy(
      {},
      {
        has: () => true,
        getOwnPropertyDescriptor: () => {
          throw new Error('boom');
        },
        get: () => {
          throw new Error('boom');
        },
      },
    );
    expect(evaluate(hasSkill, hostile)).toBe(false);
  });
});

describe('compileExpression and matchesExpression', () => {
  it('parses each expression text once and reuses the matcher', () => {
    const text = `skills HAS 'billing' AND level >= 2`;
    const matcher = compileExpression(text);
    expect(compileExpression(text)).toBe(matcher);
    expect(matcher({ skills: ['billing'], level: 2 })).toBe(true);
    expect(matcher({ skills: ['billing'], level: 1 })).toBe(false);
  });

  it('turns an unparsable expression into a matcher that matches no one', () => {
    const broken = compileExpression(`skills HAS 'billing`);
    expect(broken({ skills: ['billing'] })).toBe(false);
    expect(broken({})).toBe(false);
    expect(matchesExpression('', {})).toBe(false);
    expect(matchesExpression('((1==1)', {})).toBe(false);
  });

  it('agrees with parse-and-evaluate', () => {
    const attributes = { department: 'retention', level: 2 };
    const text = `department IN ['sales','retention'] AND level >= 2`;
    expect(matchesExpression(text, attributes)).toBe(evaluate(parseExpression(text), attributes));
    expect(matchesExpression(text, attributes)).toBe(true);
  });

  it('keeps working after many distinct expressions have been compiled', () => {
    for (let level = 0; level < 600; level += 1) {
      expect(matchesExpression(`level == ${level}`, { level })).toBe(true);
    }
    expect(matchesExpression('level == 0', { level: 0 })).toBe(true);
  });
});

describe('queue membership for a realistic roster', () => {
  const roster: Record<string, Record<string, unknown>> = {
    ana: {
      full_name: 'Ana Ortiz',
      email: 'ana@contoso.example',
      skills: ['support', 'billing'],
      languages: ['en', 'es'],
      department: 'support',
      level: 3,
      routing: { skills: ['support', 'billing'], levels: { support: 5 } },
      location: { country: 'ES' },
    },
    ben: {
      full_name: 'Ben Okafor',
      email: 'ben@contoso.example',
      skills: ['sales'],
      languages: ['en'],
      department: 'sales',
      level: 1,
    },
    chloe: {
      full_name: 'Chloé Martin',
      email: 'chloe@partner.example',
      skills: ['sales', 'support'],
      languages: ['en', 'fr'],
      department: 'retention',
      level: 2,
      location: { country: 'FR' },
    },
    dev: {
      full_name: 'Dev Patel',
      skills: ['support'],
      languages: ['es'],
      department: 'support',
      // Entered through a UI that stores numbers as text.
      level: '4',
      routing: { skills: ['support'], levels: { support: 2 } },
    },
    eve: {},
    fay: {
      full_name: 'Fay Lindqvist',
      skills: ['retention'],
      languages: ['es', 'en'],
      department: 'retention',
      level: 5,
      contractor: true,
    },
  };

  const members = (expression: string): string[] =>
    Object.entries(roster)
      .filter(([, attributes]) => matchesExpression(expression, attributes))
      .map(([name]) => name);

  it.each([
    ['1==1', ['ana', 'ben', 'chloe', 'dev', 'eve', 'fay']],
    [`skills HAS "support" AND languages HAS "es"`, ['ana', 'dev']],
    [`department IN ['sales','retention'] AND level >= 2`, ['chloe', 'fay']],
    [`(skills HAS 'sales' OR skills HAS 'retention') AND languages HAS 'en'`, ['ben', 'chloe', 'fay']],
    [`skills HAS 'sales' OR skills HAS 'retention' AND languages HAS 'fr'`, ['ben', 'chloe']],
    ['worker.routing.levels.support >= 4', ['ana']],
    [`routing.skills HAS 'support'`, ['ana', 'dev']],
    [`department != 'sales'`, ['ana', 'chloe', 'dev', 'fay']],
    [`NOT (skills HAS 'sales')`, ['ana', 'dev', 'eve', 'fay']],
    [`languages HAS 'fr' OR location.country == 'ES'`, ['ana', 'chloe']],
    ['level == 4', ['dev']],
    ['level >= 4', ['fay']],
    [`email CONTAINS '@contoso.example'`, ['ana', 'ben']],
    [`contractor == true`, ['fay']],
    [`department NOT IN ['support'] and level < 3`, ['ben', 'chloe']],
    [`worker.languages HAS 'es' && worker.department == 'support'`, ['ana', 'dev']],
    [`skills HAS 'sales`, []],
  ])('%s → %j', (expression, expected) => {
    expect(members(expression)).toEqual(expected);
  });
});
