// Typed builder for RouterOS `print` query words. RouterOS evaluates query words on a stack: `?name=v`, `?name`,
// `?-name`, `?<name=v`, `?>name=v` push a result; `?#|` (or), `?#&` (and) pop two and push one, `?#!` negates the
// top. What is left on the stack at the end is ANDed. The builder takes a tree and emits postfix words.

export type Query =
  | { op: 'eq' | 'lt' | 'gt'; name: string; value: string }
  | { op: 'has' | 'missing'; name: string }
  | { op: 'and' | 'or'; items: Query[] }
  | { op: 'not'; item: Query };

type Scalar = string | number | boolean | bigint;

function str(v: Scalar): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function checkName(name: string): string {
  if (name.length === 0 || name.includes('='))
    throw new TypeError(`invalid query property name ${JSON.stringify(name)}`);
  return name;
}

export const q = {
  /** Property equals value: `?name=value` (an empty value matches items where it is empty). */
  eq: (name: string, value: Scalar): Query => ({ op: 'eq', name: checkName(name), value: str(value) }),
  /** Property less than value: `?<name=value`. */
  lt: (name: string, value: Scalar): Query => ({ op: 'lt', name: checkName(name), value: str(value) }),
  /** Property greater than value: `?>name=value`. */
  gt: (name: string, value: Scalar): Query => ({ op: 'gt', name: checkName(name), value: str(value) }),
  /** Property present: `?name`. */
  has: (name: string): Query => ({ op: 'has', name: checkName(name) }),
  /** Property absent: `?-name`. */
  missing: (name: string): Query => ({ op: 'missing', name: checkName(name) }),
  and: (...items: Query[]): Query => {
    if (items.length === 0) throw new TypeError('q.and() needs at least one operand');
    return { op: 'and', items };
  },
  or: (...items: Query[]): Query => {
    if (items.length === 0) throw new TypeError('q.or() needs at least one operand');
    return { op: 'or', items };
  },
  not: (item: Query): Query => ({ op: 'not', item }),
};

/** Postfix query words for one or more queries (several top-level queries are ANDed by RouterOS itself). */
export function queryWords(query: Query | readonly Query[]): string[] {
  const out: string[] = [];
  const list = Array.isArray(query) ? (query as readonly Query[]) : [query as Query];
  for (const item of list) emit(item, out);
  return out;
}

function emit(node: Query, out: string[]): void {
  switch (node.op) {
    case 'eq':
      out.push(`?${node.name}=${node.value}`);
      return;
    case 'lt':
      out.push(`?<${node.name}=${node.value}`);
      return;
    case 'gt':
      out.push(`?>${node.name}=${node.value}`);
      return;
    case 'has':
      out.push(`?${node.name}`);
      return;
    case 'missing':
      out.push(`?-${node.name}`);
      return;
    case 'not':
      emit(node.item, out);
      out.push('?#!');
      return;
    case 'and':
    case 'or': {
      const word = node.op === 'and' ? '?#&' : '?#|';
      node.items.forEach((item, i) => {
        emit(item, out);
        if (i > 0) out.push(word);
      });
      return;
    }
  }
}
