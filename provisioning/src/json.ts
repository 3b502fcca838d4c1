// JSON text laid out the way Prettier lays out JSON (objects expanded, arrays on one line when they fit
// in the print width), so generated files stay byte-stable when the plugin's `prettier --write` runs
// over plugin/src/dashboards. tests/provisioning-dashboards.test.ts checks it against Prettier itself.

export const PRINT_WIDTH = 120;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
const size = (v: Json) => (Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : 0);

/** One-line form, or null when the value can never sit on one line (a non-empty object). */
function flat(v: Json): string | null {
  if (isObject(v)) return Object.keys(v).length === 0 ? '{}' : null;
  if (Array.isArray(v)) {
    if (mustBreak(v)) return null;
    const parts: string[] = [];
    for (const el of v) {
      const f = flat(el);
      if (f === null) return null;
      parts.push(f);
    }
    return `[${parts.join(', ')}]`;
  }
  return JSON.stringify(v);
}

/** Prettier breaks an array of several objects/arrays that each have more than one element. */
function mustBreak(a: Json[]): boolean {
  if (a.length < 2) return false;
  const first = a[0]!;
  const kind = Array.isArray(first) ? 'array' : isObject(first) ? 'object' : null;
  return kind !== null && a.every((el) => (kind === 'array' ? Array.isArray(el) : isObject(el)) && size(el) > 1);
}

function print(v: Json, indent: string, used: number, trailing: number): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const f = flat(v);
    if (f !== null && used + f.length + trailing <= PRINT_WIDTH) return f;
    const inner = indent + '  ';
    return `[\n${v.map((el, i) => inner + print(el, inner, inner.length, i < v.length - 1 ? 1 : 0)).join(',\n')}\n${indent}]`;
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    const inner = indent + '  ';
    return `{\n${keys
      .map((k, i) => {
        const head = `${inner}${JSON.stringify(k)}: `;
        return head + print(v[k]!, inner, head.length, i < keys.length - 1 ? 1 : 0);
      })
      .join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/** `value` as Prettier-style JSON text with a final newline (undefined properties dropped, as JSON.stringify does). */
export function prettyJson(value: unknown): string {
  const plain = JSON.parse(JSON.stringify(value)) as Json;
  return print(plain, '', 0, 0) + '\n';
}
