/**
 * A server action's body, checked before Next parses it: Next answers a truncated multipart form or an
 * unfinished JSON argument list with a bare 500 ("Unexpected end of form"). Browsers never send either;
 * a broken connection or a hand-made request does, and gets a 400 saying what to do.
 */
export async function malformedActionBody(request: Request): Promise<string | undefined> {
  if (request.method !== "POST" || !request.headers.has("next-action")) return undefined;
  const type = request.headers.get("content-type") ?? "";
  try {
    if (type.startsWith("multipart/form-data")) await request.clone().formData();
    else if (type.startsWith("application/x-www-form-urlencoded")) return undefined;
    else {
      const text = await request.clone().text();
      if (text) JSON.parse(text);
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export const malformedActionResponse = () =>
  Response.json(
    {
      ok: false,
      code: "request.malformed",
      message: "The form arrived incomplete or damaged. Reload the page and submit it again.",
    },
    { status: 400, headers: { "Cache-Control": "no-store" } },
  );
