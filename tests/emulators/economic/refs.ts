import { ERROR_CODES, type Violations } from "./errors";

type Path = (string | number)[];

/** The number a reference names, by its number property or by its `self` URL. */
export function refNumber(ref: unknown, numberKey: string): number | string | undefined {
  if (!ref || typeof ref !== "object") return undefined;
  const obj = ref as Record<string, unknown>;
  if (obj[numberKey] !== undefined && obj[numberKey] !== null) return obj[numberKey] as number | string;
  if (typeof obj.self === "string") {
    const last = obj.self.replace(/\/+$/, "").split("/").pop();
    if (last === undefined) return undefined;
    return /^\d+$/.test(last) ? Number(last) : decodeURIComponent(last);
  }
  return undefined;
}

/**
 * Checks a present reference: E04500 when it names nothing, E06000 when what it names does not exist.
 * Both errors sit at the reference itself (`customer`, `lines[0].unit`), as in the annotated example of
 * _introduction.md ("Errors"), not at its number property.
 */
export function checkRef(
  v: Violations,
  path: Path,
  ref: unknown,
  numberKey: string,
  exists: (n: number | string) => boolean,
  label: string,
): void {
  if (ref === undefined || ref === null || typeof ref !== "object") return;
  const n = refNumber(ref, numberKey);
  if (n === undefined) {
    v.add(path, {
      errorCode: ERROR_CODES.missingReference,
      message: `${label} must be given by ${numberKey} or self.`,
    });
    return;
  }
  if (!exists(n))
    v.add(path, {
      errorCode: ERROR_CODES.unknownReference,
      message: `${label.toLowerCase()} does not exist.`,
      value: n,
    });
}
