import { headers } from "next/headers";

export type Locale = "da" | "en";

/** Danish for browsers that ask for it first, English otherwise. */
export async function getLocale(): Promise<Locale> {
  const first = ((await headers()).get("accept-language") ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("da") ? "da" : "en";
}
