import { describe, expect, it } from "vitest";
import { errorFields, loggerTo } from "@/lib/log";

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const log = loggerTo({ write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
};

describe("logger", () => {
  it("writes one JSON object per line with the ids it was given", () => {
    const { log, lines } = capture();
    log.child({ installationId: "i-1", requestId: "r-1" }).info({ transferId: 42, event: "x" }, "done");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      installationId: "i-1",
      requestId: "r-1",
      transferId: 42,
      event: "x",
      msg: "done",
    });
  });

  it("redacts tokens and secrets by key, at any depth this app logs", () => {
    const { log, lines } = capture();
    log.info({
      token: "t0p-s3cret",
      grantToken: "grant-123",
      nested: {
        accessToken: "rb-access",
        headers: { "X-AgreementGrantToken": "hdr", Authorization: "Bearer x" },
      },
      deeper: { a: { apiKey: "key-1" } },
      safe: "visible",
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ["t0p-s3cret", "grant-123", "rb-access", "hdr", "Bearer x", "key-1"])
      expect(text).not.toContain(secret);
    expect(text).toContain("visible");
    expect(text).toContain("[redacted]");
  });

  it("describes an error by name, message and status, never by its body", () => {
    const error = Object.assign(new Error("e-conomic answered HTTP 400"), {
      status: 400,
      service: "e-conomic",
      body: { token: "leak" },
    });
    expect(errorFields(error)).toEqual({
      error: {
        name: "Error",
        message: "e-conomic answered HTTP 400",
        status: 400,
        service: "e-conomic",
        code: undefined,
      },
    });
  });

  it("gives an unexpected error (not a vendor's answer) its stack, so the log says where it happened", () => {
    const fields = errorFields(new TypeError("cannot read properties of undefined")) as {
      error: { stack?: string; name: string };
    };
    expect(fields.error.name).toBe("TypeError");
    expect(fields.error.stack).toMatch(/log\.test\.ts/);
  });
});
