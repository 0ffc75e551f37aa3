import { randomBytes } from "node:crypto";

/** e-conomic's documented error body (economic-api.md §4). */
export type EconomicErrorBody = {
  message: string;
  errorCode?: string;
  developerHint?: string;
  logId: string;
  httpStatusCode: number;
  logTime: string;
  errors?: unknown;
};

export const ERROR_CODES = {
  invalidGrant: "E02250",
  nullValue: "E00500",
  /** Not documented: our choice for a missing required property or a type mismatch. */
  requiredProperty: "E04300",
  invalidValue: "E04010",
  missingReference: "E04500",
  missingQuantity: "E04730",
  tooManyDecimals: "E04740",
  unknownReference: "E06000",
} as const;

export class EconomicError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly extra: {
      errors?: unknown;
      errorCode?: string;
      developerHint?: string;
      flat?: boolean;
    } = {},
  ) {
    super(message);
  }
  body(): EconomicErrorBody | OpenApiErrorBody {
    if (this.extra.flat)
      return {
        message: this.message,
        httpStatusCode: this.status,
        logId: randomBytes(16).toString("hex"),
        errors: this.extra.errors as OpenApiErrorBody["errors"],
      };
    return errorBody(this.status, this.message, this.extra);
  }
}

/** The OpenAPI services (apis.e-conomic.com) answer errors flat, not mirroring the body. */
export type OpenApiErrorBody = {
  message: string;
  httpStatusCode: number;
  logId: string;
  errors: { code: string; property: string; message: string }[];
};

export function errorBody(
  status: number,
  message: string,
  extra: { errors?: unknown; errorCode?: string; developerHint?: string } = {},
): EconomicErrorBody {
  return {
    message,
    ...(extra.errorCode ? { errorCode: extra.errorCode } : {}),
    developerHint: extra.developerHint ?? message,
    logId: randomBytes(16).toString("hex"),
    httpStatusCode: status,
    logTime: new Date().toISOString().slice(0, 19),
    ...(extra.errors !== undefined ? { errors: extra.errors } : {}),
  };
}

type Path = (string | number)[];
type Problem = { errorCode: string; message: string; value?: unknown; developerHint?: string };

/**
 * Collects property errors and renders them the way e-conomic does (_introduction.md, "Errors"): the
 * `errors` object mirrors the request body, a failing property becomes `{errors:[…]}`, array items carry
 * `arrayIndex`. A bulk (array) body gives an array at the root: `errors: [{ arrayIndex: 0, … }]`.
 */
export class Violations {
  private root: Record<string, unknown> | Record<string, unknown>[] | undefined;
  private readonly all: { path: Path; problem: Problem }[] = [];
  count = 0;

  add(path: Path, problem: Problem): void {
    this.count += 1;
    this.all.push({ path, problem });
    const item = (list: Record<string, unknown>[], index: number) => {
      let found = list.find((x) => x.arrayIndex === index);
      if (!found) list.push((found = { arrayIndex: index }));
      return found;
    };
    let node: Record<string, unknown>;
    let i = 0;
    if (typeof path[0] === "number") {
      this.root ??= [];
      node = item(this.root as Record<string, unknown>[], path[0]);
      i = 1;
    } else node = (this.root ??= {}) as Record<string, unknown>;
    for (; i < path.length; i++) {
      const key = path[i] as string;
      const next = path[i + 1];
      if (typeof next === "number") {
        node = item(((node[key] as Record<string, unknown>[]) ??= []), next);
        i += 1;
        continue;
      }
      node = (node[key] as Record<string, unknown>) ??= {};
    }
    ((node.errors as Problem[]) ??= []).push({
      ...problem,
      developerHint: problem.developerHint ?? problem.message,
    });
  }

  /**
   * The OpenAPI services' flat error model: `errors: [{ code, property, message }]` (economic-api.md §4,
   * "since v17 errors have code and property"), with the property as a dotted path.
   */
  throwFlatIfAny(message = "Validation error."): void {
    if (this.count === 0) return;
    const errors = this.all.map(({ path, problem }) => ({
      code: problem.errorCode,
      property: path
        .map((p) => (typeof p === "number" ? `[${p}]` : p))
        .join(".")
        .replace(/\.\[/g, "["),
      message: problem.message,
    }));
    throw new EconomicError(400, message, { errors, flat: true });
  }

  throwIfAny(message = "Validation error."): void {
    if (this.count > 0)
      throw new EconomicError(400, message, {
        errors: this.root,
        developerHint: "Inspect validation errors and correct your request.",
      });
  }
}

export type Rule = {
  t: "string" | "int" | "number" | "bool" | "date" | "obj" | "arr";
  req?: boolean;
  min?: number;
  max?: number;
  /** exact length (strings) */
  len?: number;
  /** maximum decimals (numbers) */
  dec?: number;
  oneOf?: string[];
  fields?: Spec;
  items?: Spec;
};
export type Spec = Record<string, Rule>;

/** Rejects `null` anywhere in a body (E00500): e-conomic wants the property omitted instead. */
export function rejectNulls(value: unknown, v: Violations, path: Path = []): void {
  if (value === null) {
    v.add(path, {
      errorCode: ERROR_CODES.nullValue,
      message: "Null is not allowed; omit the property instead.",
      value: null,
    });
    return;
  }
  if (Array.isArray(value)) value.forEach((item, i) => rejectNulls(item, v, [...path, i]));
  else if (typeof value === "object")
    for (const [k, item] of Object.entries(value as object)) rejectNulls(item, v, [...path, k]);
}

const decimals = (n: number) => {
  const s = String(n);
  if (s.includes("e-")) return Number(s.split("e-")[1]);
  return s.includes(".") ? s.split(".")[1].length : 0;
};

/** Checks types, required properties, lengths, ranges and decimals against a spec. */
export function checkSpec(
  body: Record<string, unknown> | undefined,
  spec: Spec,
  v: Violations,
  path: Path = [],
): void {
  for (const [key, rule] of Object.entries(spec)) {
    const value = body?.[key];
    const at = [...path, key];
    if (value === undefined) {
      if (rule.req)
        v.add(at, {
          errorCode: ERROR_CODES.requiredProperty,
          message: `Property '${[...path, key].join(".")}' is required.`,
        });
      continue;
    }
    if (value === null) continue; // reported by rejectNulls
    const bad = (message: string) => v.add(at, { errorCode: ERROR_CODES.invalidValue, message, value });
    switch (rule.t) {
      case "string":
        if (typeof value !== "string") {
          bad(`Property '${key}' must be a string.`);
          break;
        }
        if (rule.len !== undefined && value.length !== rule.len)
          bad(`Property '${key}' must be exactly ${rule.len} characters.`);
        if (rule.min !== undefined && value.length < rule.min)
          bad(`Property '${key}' must be at least ${rule.min} characters.`);
        if (rule.max !== undefined && value.length > rule.max)
          bad(`Property '${key}' cannot be longer than ${rule.max} characters.`);
        if (rule.oneOf && !rule.oneOf.includes(value))
          bad(`Property '${key}' must be one of ${rule.oneOf.join(", ")}.`);
        break;
      case "date":
        if (
          typeof value !== "string" ||
          !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
          Number.isNaN(Date.parse(value))
        )
          bad(`Property '${key}' must be a date (YYYY-MM-DD).`);
        break;
      case "int":
      case "number":
        if (
          typeof value !== "number" ||
          !Number.isFinite(value) ||
          (rule.t === "int" && !Number.isInteger(value))
        ) {
          bad(`Property '${key}' must be ${rule.t === "int" ? "an integer" : "a number"}.`);
          break;
        }
        if (rule.min !== undefined && value < rule.min)
          bad(`Property '${key}' must be at least ${rule.min}.`);
        if (rule.max !== undefined && value > rule.max) bad(`Property '${key}' must be at most ${rule.max}.`);
        if (rule.dec !== undefined && decimals(value) > rule.dec) {
          v.add(at, {
            errorCode: key === "unitNetPrice" ? ERROR_CODES.tooManyDecimals : ERROR_CODES.invalidValue,
            message: `Property '${key}' can have at most ${rule.dec} decimals.`,
            value,
          });
        }
        break;
      case "bool":
        if (typeof value !== "boolean") bad(`Property '${key}' must be true or false.`);
        break;
      case "obj":
        if (typeof value !== "object" || Array.isArray(value)) bad(`Property '${key}' must be an object.`);
        else if (rule.fields) checkSpec(value as Record<string, unknown>, rule.fields, v, at);
        break;
      case "arr":
        if (!Array.isArray(value)) bad(`Property '${key}' must be an array.`);
        else if (rule.items)
          value.forEach((item, i) => checkSpec(item as Record<string, unknown>, rule.items!, v, [...at, i]));
        break;
    }
  }
}
