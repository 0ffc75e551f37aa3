/**
 * e-conomic's collection filter grammar (economic-api.md §3):
 *   name$eq:Joe$and:(city$like:*port$or:age$lt:40)
 * Operators $eq $ne $gt $gte $lt $lte $like $in $nin; $and/$or with parentheses.
 * Special characters in values ($ ( ) * , [ ]) are escaped with a `$` prefix; an unescaped one is an error.
 * `$null:` is not an operator but a value, "the null escape sequence" (_introduction.md, "Using null
 * values in your filter"): `email$eq:$null:` finds customers without an e-mail, `$ne:$null:` those with
 * one, and `$in:[1,$null:]` may include it.
 */
export type Condition = {
  field: string;
  op: string;
  value: string | (number | null)[] | null;
  likePattern?: RegExp;
};
export type FilterNode =
  { kind: "cond"; cond: Condition } | { kind: "and" | "or"; left: FilterNode; right: FilterNode };

export class FilterError extends Error {}

const OPS = ["eq", "ne", "gte", "gt", "lte", "lt", "like", "in", "nin"] as const;
const NULL = "$null:";

export function parseFilter(input: string): FilterNode {
  let pos = 0;
  const peek = (s: string) => input.startsWith(s, pos);

  function expression(): FilterNode {
    let left = andTerm();
    while (peek("$or:")) {
      pos += 4;
      left = { kind: "or", left, right: andTerm() };
    }
    return left;
  }
  function andTerm(): FilterNode {
    let left = primary();
    while (peek("$and:")) {
      pos += 5;
      left = { kind: "and", left, right: primary() };
    }
    return left;
  }
  function primary(): FilterNode {
    if (peek("(")) {
      pos += 1;
      const node = expression();
      if (!peek(")")) throw new FilterError(`Expected ')' at position ${pos} of the filter.`);
      pos += 1;
      return node;
    }
    return { kind: "cond", cond: condition() };
  }
  function condition(): Condition {
    const dollar = input.indexOf("$", pos);
    if (dollar < 0) throw new FilterError(`Missing operator after '${input.slice(pos)}'.`);
    const field = input.slice(pos, dollar);
    if (!/^[A-Za-z][A-Za-z0-9.]*$/.test(field)) throw new FilterError(`'${field}' is not a property name.`);
    pos = dollar + 1;
    const op = OPS.find((o) => input.startsWith(`${o}:`, pos));
    if (!op) throw new FilterError(`Unknown filter operator at '${input.slice(dollar)}'.`);
    pos += op.length + 1;
    if (peek(NULL)) {
      if (op !== "eq" && op !== "ne") throw new FilterError(`$null: can only be compared with $eq: or $ne:.`);
      pos += NULL.length;
      return { field, op, value: null };
    }
    if (op === "in" || op === "nin") {
      if (!peek("[")) throw new FilterError(`$${op}: takes a list such as [1,2,3].`);
      const end = input.indexOf("]", pos);
      if (end < 0) throw new FilterError(`Missing ']' in $${op}: list.`);
      const items = input
        .slice(pos + 1, end)
        .split(",")
        .filter((s) => s !== "");
      pos = end + 1;
      const numbers = items.map((item) => (item === NULL ? null : Number(item)));
      if (numbers.some((n) => n !== null && !Number.isFinite(n)))
        throw new FilterError(`$${op}: accepts numbers only.`);
      if (numbers.length > 200) throw new FilterError(`$${op}: accepts at most 200 values.`);
      return { field, op, value: numbers };
    }
    let value = "";
    let pattern = "";
    let wildcard = false;
    while (pos < input.length) {
      if (peek("$and:") || peek("$or:") || peek(")")) break;
      const ch = input[pos];
      if (ch === "$") {
        const escaped = input[pos + 1];
        if (escaped === undefined || !"$()*,[]".includes(escaped))
          throw new FilterError(`Unescaped '$' in filter value at position ${pos}.`);
        value += escaped;
        pattern += escapeRegex(escaped);
        pos += 2;
        continue;
      }
      if ("(*,[]".includes(ch)) {
        if (ch === "*" && op === "like") {
          pattern += ".*";
          wildcard = true;
          value += ch;
          pos += 1;
          continue;
        }
        throw new FilterError(`The character '${ch}' in a filter value must be escaped as '$${ch}'.`);
      }
      value += ch;
      pattern += escapeRegex(ch);
      pos += 1;
    }
    const cond: Condition = { field, op, value };
    if (op === "like") {
      cond.likePattern = new RegExp(wildcard ? `^${pattern}$` : pattern, "i");
    }
    return cond;
  }

  const node = expression();
  if (pos !== input.length) throw new FilterError(`Unexpected '${input.slice(pos)}' in filter.`);
  return node;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function fieldsOf(node: FilterNode): string[] {
  return node.kind === "cond" ? [node.cond.field] : [...fieldsOf(node.left), ...fieldsOf(node.right)];
}

export function getPath(item: unknown, path: string): unknown {
  let current: unknown = item;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function compare(actual: unknown, expected: string): number {
  if (typeof actual === "number") {
    const n = Number(expected);
    return actual === n ? 0 : actual < n ? -1 : 1;
  }
  const a = String(actual).toLowerCase();
  const b = expected.toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}

export function matches(node: FilterNode, item: unknown): boolean {
  if (node.kind !== "cond")
    return node.kind === "and"
      ? matches(node.left, item) && matches(node.right, item)
      : matches(node.left, item) || matches(node.right, item);
  const { field, op, value, likePattern } = node.cond;
  const actual = getPath(item, field);
  const absent = actual === undefined || actual === null;
  if (value === null) return op === "eq" ? absent : !absent;
  if (op === "in" || op === "nin") {
    const list = value as (number | null)[];
    const found = absent ? list.includes(null) : list.includes(Number(actual));
    return op === "in" ? found : !found;
  }
  if (absent) return op === "ne";
  switch (op) {
    case "eq":
      return compare(actual, value as string) === 0;
    case "ne":
      return compare(actual, value as string) !== 0;
    case "gt":
      return compare(actual, value as string) > 0;
    case "gte":
      return compare(actual, value as string) >= 0;
    case "lt":
      return compare(actual, value as string) < 0;
    case "lte":
      return compare(actual, value as string) <= 0;
    case "like":
      return likePattern!.test(String(actual));
  }
  return false;
}
