import { beforeAll, describe, expect, it } from "vitest";
import { EconomicClient } from "@/lib/economic/client";
import { draftNeedsDueDate, PAYMENT_TERMS_TYPES, type PaymentTerms } from "@/lib/economic/payment-terms";
import { resetEnvForTests } from "@/lib/env";
import { sandboxEnv } from "@/tests/emulators";
import { withEmulators } from "@/tests/helpers/emulators";

/** The app's reads of e-conomic, against the emulator that answers as e-conomic documents. */
const emulators = withEmulators();
let client: EconomicClient;

beforeAll(() => {
  Object.assign(process.env, sandboxEnv(emulators()), {
    ECONOMIC_APP_SECRET_TOKEN: "sandbox-app-secret-token",
    ECONOMIC_APP_PUBLIC_TOKEN: "sandbox-app-public-token",
  });
  resetEnvForTests();
  client = new EconomicClient(emulators().economic.state.issueGrant(700001).token);
});

describe("payment terms", () => {
  it("reads the camel-case types and knows which terms need a due date on a draft", async () => {
    const terms = await client.listAll<PaymentTerms>("/payment-terms");
    for (const t of terms) expect(PAYMENT_TERMS_TYPES).toContain(t.paymentTermsType);
    const byDueDate = terms.filter(draftNeedsDueDate);
    expect(byDueDate.map((t) => t.paymentTermsNumber)).toEqual([5]);
    // What the rule means in practice: a dueDate draft without one is refused, the others compute it.
    const draft = (paymentTermsNumber: number, dueDate?: string) =>
      client.rest<{ dueDate: string }>("/invoices/drafts", {
        method: "POST",
        body: {
          date: "2026-11-02",
          currency: "DKK",
          customer: { customerNumber: 1001 },
          layout: { layoutNumber: 19 },
          paymentTerms: { paymentTermsNumber },
          recipient: { name: "Kunde", vatZone: { vatZoneNumber: 1 } },
          ...(dueDate ? { dueDate } : {}),
        },
      });
    await expect(draft(5)).rejects.toMatchObject({ status: 400 });
    expect((await draft(5, "2026-12-01")).data.dueDate).toBe("2026-12-01");
    expect((await draft(2)).data.dueDate).toBe("2026-11-10");
  });
});
