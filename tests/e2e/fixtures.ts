import { test as base } from "@playwright/test";

/**
 * Every test browses from an address of its own (X-Forwarded-For, as Vercel sets it), so that the app's
 * per-address limits on anonymous install work count each test separately, as they would real visitors.
 */
export const test = base.extend({
  extraHTTPHeaders: async ({ extraHTTPHeaders }, provide) => {
    const address = `203.0.113.${Math.floor(Math.random() * 250) + 1}, 10.0.0.${Math.floor(Math.random() * 250) + 1}`;
    await provide({ ...extraHTTPHeaders, "X-Forwarded-For": address });
  },
});

export { expect } from "@playwright/test";
