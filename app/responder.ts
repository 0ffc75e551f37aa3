import { unstable_rethrow } from "next/navigation";
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { errorFields, logger } from "@/lib/log";
import { requestIdFrom } from "./request-log";

/** Any route handler's own signature (a parameter type of `never` accepts every narrower one). */
type Handler = (request: never, ...rest: never[]) => Promise<Response>;
type Callable = (request: Request, ...rest: unknown[]) => Promise<Response>;

/**
 * One responder for route handlers. The handler answers as it documents (its 4xx with a message a person
 * can act on); anything it throws that no rule expected is logged with its stack and the request id, and
 * answered as a 500 that names that id — JSON for API routes, the problem page for routes a browser
 * opens — never Next's bare error page. Next's own control flow (`redirect()`, `notFound()`) passes
 * through.
 */
export function responder<H extends Handler>(handler: H, options: { page?: boolean } = {}): H {
  const wrapped = async (request: Request, ...rest: unknown[]) => {
    try {
      return await (handler as unknown as Callable)(request, ...rest);
    } catch (error) {
      unstable_rethrow(error);
      const requestId = requestIdFrom(request.headers);
      logger().error({
        event: "route.failed",
        requestId,
        method: request.method,
        path: new URL(request.url).pathname,
        ...errorFields(error),
      });
      const headers = { "x-request-id": requestId, "Cache-Control": "no-store" };
      if (options.page)
        return NextResponse.redirect(
          new URL(`/install/problem/internal?ref=${encodeURIComponent(requestId)}`, env().appUrl),
          { status: 303, headers },
        );
      return Response.json(
        {
          ok: false,
          code: "internal",
          message: `Something went wrong on our side. If it keeps happening, contact support and quote ${requestId}.`,
          requestId,
        },
        { status: 500, headers },
      );
    }
  };
  return wrapped as unknown as H;
}
