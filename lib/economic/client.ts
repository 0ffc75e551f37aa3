import { env } from "@/lib/env";
import { HttpError, requestJson, type RequestOptions } from "@/lib/http";
import { encodeProductNumber } from "./product-number";

export type EconomicSelf = {
  agreementNumber: number;
  company: {
    name: string;
    companyIdentificationNumber?: string;
    vatNumber?: string;
    country?: string;
    email?: string;
  };
  user?: { loginId?: string; name?: string; email?: string; language?: { culture?: string } };
  userName?: string;
  application?: { appNumber?: number; name?: string };
};

export type EconomicErrorBody = {
  message?: string;
  developerHint?: string;
  errorCode?: string;
  logId?: string;
  httpStatusCode?: number;
  errors?: unknown;
};

export type WriteOptions = RequestOptions & { idempotencyKey?: string };
const idempotencyHeader = (options: WriteOptions): Record<string, string> =>
  options.idempotencyKey ? { "Idempotency-Key": options.idempotencyKey } : {};

/** True when e-conomic says the grant is not (or no longer) valid: the customer must reconnect. */
export const isRevokedGrant = (error: unknown) =>
  error instanceof HttpError && error.service === "e-conomic" && error.status === 401;

/** The legacy REST and OpenAPI clients for one agreement (grant token). Every base URL comes from env. */
export class EconomicClient {
  constructor(
    private readonly grantToken: string,
    private readonly config = env().economic,
  ) {}

  private headers(extra: Record<string, string> = {}) {
    return {
      "X-AppSecretToken": this.config.appSecretToken,
      "X-AgreementGrantToken": this.grantToken,
      ...extra,
    };
  }

  /**
   * A legacy REST call. A write may carry an `Idempotency-Key` (stable per transfer and step): for an
   * hour e-conomic answers a repeat with the first response instead of doing it again
   * (economic-constraints.md, "Idempotency-Key").
   */
  rest<T>(path: string, options: WriteOptions = {}) {
    return requestJson<T>("e-conomic", `${this.config.apiUrl}${path}`, {
      ...options,
      headers: this.headers({ ...options.headers, ...idempotencyHeader(options) }),
    });
  }

  openApi<T>(path: string, options: WriteOptions = {}) {
    return requestJson<T>("e-conomic", `${this.config.openApiUrl}${path}`, {
      ...options,
      headers: this.headers({ ...options.headers, ...idempotencyHeader(options) }),
    });
  }

  /** Every item of a legacy REST collection, following `pagination.nextPage` (pages of 1000). */
  async listAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    for (let skip = 0; ; skip++) {
      const sep = path.includes("?") ? "&" : "?";
      const { data } = await this.rest<{ collection: T[]; pagination?: { nextPage?: string } }>(
        `${path}${sep}skippages=${skip}&pagesize=1000`,
      );
      items.push(...data.collection);
      if (!data.pagination?.nextPage || data.collection.length === 0) return items;
    }
  }

  async getSelf(): Promise<EconomicSelf> {
    return (await this.rest<EconomicSelf>("/self")).data;
  }

  productPath(productNumber: string) {
    return `/products/${encodeProductNumber(productNumber)}`;
  }
}

/** The grant page URL that asks the customer to approve this app for one of their agreements. */
export function grantUrl(redirectUrl: string, locale: string): string {
  const { secureUrl, appPublicToken } = env().economic;
  const url = new URL(`${secureUrl}/secure/api1/requestaccess.aspx`);
  url.searchParams.set("appPublicToken", appPublicToken);
  url.searchParams.set("redirectUrl", redirectUrl);
  url.searchParams.set("locale", locale);
  return url.toString();
}

/** e-conomic's own words for a failed call (shown beside our worded code), plus the logId for support. */
export function describeEconomicError(error: HttpError): { message: string; logId?: string } {
  const body = (typeof error.body === "object" && error.body ? error.body : {}) as EconomicErrorBody;
  const details: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node))
      node.forEach((item, i) =>
        walk(
          item,
          typeof (item as { arrayIndex?: number })?.arrayIndex === "number"
            ? `${path}[${(item as { arrayIndex: number }).arrayIndex}]`
            : `${path}[${i}]`,
        ),
      );
    else if (typeof node === "string") details.push(node);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "errors" && Array.isArray(value))
          for (const e of value)
            details.push(
              typeof e === "string"
                ? e
                : `${path || "request"}: ${(e as { message?: string }).message ?? JSON.stringify(e)}`,
            );
        else if (key !== "arrayIndex") walk(value, path ? `${path}.${key}` : key);
      }
    }
  };
  walk(body.errors, "");
  // e-conomic's own words, kept as they wrote them; with no body the status is all there is to show.
  const message = [...new Set([body.message ?? `HTTP ${error.status}`, ...details])].join(" ");
  return { message, logId: body.logId };
}
