import { describe, expect, it } from "vitest";
import { retryTransient } from "@/lib/transfers/queue";

/** The worker's statements are run again when Postgres aborted them to break a deadlock, and only then. */
describe("retryTransient", () => {
  it("runs a statement again after a deadlock or serialization failure", async () => {
    let calls = 0;
    const result = await retryTransient("test", async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
      if (calls === 2) throw Object.assign(new Error("could not serialize access"), { code: "40001" });
      return "done";
    });
    expect(result).toBe("done");
    expect(calls).toBe(3);
  });

  it("passes any other error on at once, and gives up after its tries", async () => {
    let calls = 0;
    await expect(
      retryTransient("test", async () => {
        calls++;
        throw Object.assign(new Error("duplicate key"), { code: "23505" });
      }),
    ).rejects.toThrow("duplicate key");
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryTransient("test", async () => {
        calls++;
        throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
      }),
    ).rejects.toThrow("deadlock");
    expect(calls).toBe(4);
  });
});
