import { headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { localeFromAcceptLanguage, type Locale } from "@/lib/locale";
import { CATALOGS } from "./catalog";

/** next-intl's per-request configuration: the browser's language (no locale in the URL). */
export async function requestLocale(): Promise<Locale> {
  return localeFromAcceptLanguage((await headers()).get("accept-language"));
}

export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return { locale, messages: CATALOGS[locale], timeZone: "Europe/Copenhagen" };
});
