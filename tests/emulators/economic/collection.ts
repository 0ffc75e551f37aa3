import { EconomicError } from "./errors";
import { fieldsOf, FilterError, getPath, matches, parseFilter } from "./filter";

export type CollectionOptions = {
  filterable?: readonly string[];
  sortable?: readonly string[];
  baseUrl: string;
  path: string;
};

/** Paging (skippages/pagesize ≤ 1000), filter and sort for a legacy REST collection, in e-conomic's envelope. */
export function collectionResponse<T>(
  items: readonly T[],
  query: URLSearchParams,
  options: CollectionOptions,
) {
  const pageSize = query.has("pagesize") ? Number(query.get("pagesize")) : 20;
  const skipPages = query.has("skippages") ? Number(query.get("skippages")) : 0;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new EconomicError(400, "pagesize must be an integer between 1 and 1000.", {
      developerHint: "The maximum page size is 1000.",
    });
  }
  if (!Number.isInteger(skipPages) || skipPages < 0)
    throw new EconomicError(400, "skippages must be a non-negative integer.");

  let result = [...items];
  const filter = query.get("filter");
  if (filter) {
    let node;
    try {
      node = parseFilter(filter);
    } catch (error) {
      if (error instanceof FilterError)
        throw new EconomicError(400, `Invalid filter: ${error.message}`, { errors: [error.message] });
      throw error;
    }
    for (const field of fieldsOf(node)) {
      if (!options.filterable?.includes(field)) {
        const message = `Filtering is not allowed on property '${field}'.`;
        throw new EconomicError(400, message, { errors: [message] });
      }
    }
    result = result.filter((item) => matches(node, item));
  }
  const sort = query.get("sort");
  if (sort) {
    const keys = sort.split(",").map((raw) => {
      const desc = raw.startsWith("-");
      const alpha = raw.replace(/^-/, "").startsWith("~");
      const field = raw.replace(/^[-~]+/, "");
      if (!options.sortable?.includes(field)) {
        const message = `Sorting is not allowed on property '${field}'.`;
        throw new EconomicError(400, message, { errors: [message] });
      }
      return { field, desc, alpha };
    });
    result.sort((a, b) => {
      for (const { field, desc, alpha } of keys) {
        const x = getPath(a, field);
        const y = getPath(b, field);
        let cmp: number;
        if (!alpha && typeof x === "number" && typeof y === "number") cmp = x - y;
        else cmp = String(x ?? "").localeCompare(String(y ?? ""), "da");
        if (cmp !== 0) return desc ? -cmp : cmp;
      }
      return 0;
    });
  }

  const total = result.length;
  const page = result.slice(skipPages * pageSize, (skipPages + 1) * pageSize);
  const base = `${options.baseUrl}${options.path}`;
  const link = (n: number) => {
    const q = new URLSearchParams(query);
    q.set("skippages", String(n));
    q.set("pagesize", String(pageSize));
    return `${base}?${q.toString()}`;
  };
  const lastPage = Math.max(0, Math.ceil(total / pageSize) - 1);
  return {
    collection: page,
    metaData: { create: { description: "Create a new item.", href: base, httpMethod: "post" } },
    pagination: {
      maxPageSizeAllowed: 1000,
      skipPages,
      pageSize,
      results: total,
      resultsWithoutFilter: items.length,
      firstPage: link(0),
      ...(skipPages < lastPage ? { nextPage: link(skipPages + 1) } : {}),
      lastPage: link(lastPage),
    },
    self: `${base}${query.toString() ? `?${query.toString()}` : ""}`,
  };
}
