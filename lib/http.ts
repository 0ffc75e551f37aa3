/**
 * One fetch wrapper for both vendors: JSON in and out, a timeout, and typed failures that say whether
 * the request may have reached the server (needed to resolve ambiguous outcomes before retrying).
 */
export class HttpError extends Error {
  constructor(
    readonly service: "e-conomic" | "Rackbeat",
    readonly status: number,
    readonly body: unknown,
    readonly retryAfterSeconds?: number,
    /** The address asked: which resource a 403 refused (Rackbeat keys can be scoped per resource). */
    readonly url?: string,
  ) {
    super(`${service} answered HTTP ${status}`);
    this.name = "HttpError";
  }
}

/** No HTTP answer: refused, reset or timed out. `maybeDelivered` is true once the request was sent. */
export class NetworkError extends Error {
  constructor(
    readonly service: "e-conomic" | "Rackbeat",
    readonly maybeDelivered: boolean,
    cause: unknown,
  ) {
    super(
      `${service} could not be reached${maybeDelivered ? " (the request may have been processed)" : ""}`,
      { cause },
    );
    this.name = "NetworkError";
  }
}

export type RequestOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  okStatuses?: number[];
};

export async function requestJson<T>(
  service: "e-conomic" | "Rackbeat",
  url: string,
  options: RequestOptions = {},
): Promise<{ status: number; data: T }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? "GET",
      headers: {
        Accept: "application/json",
        ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
      cache: "no-store",
    });
  } catch (error) {
    // A refused connection never reached the server; anything else (timeout, reset) might have.
    const code = (error as { cause?: { code?: string } }).cause?.code;
    throw new NetworkError(service, code !== "ECONNREFUSED" && code !== "ENOTFOUND", error);
  }
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok && !(options.okStatuses ?? []).includes(response.status)) {
    const retryAfter = Number(response.headers.get("Retry-After"));
    throw new HttpError(
      service,
      response.status,
      data,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      url,
    );
  }
  return { status: response.status, data: data as T };
}
