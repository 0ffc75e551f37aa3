import { createTranslator } from "next-intl";
import { ACTORS } from "@/lib/actors";
import type { Locale } from "@/lib/locale";
import type { Message } from "@/lib/messages";
import da from "./messages/da.json";
import en from "./messages/en.json";

/** One message catalog per language; the English one defines the keys every other must have. */
export const CATALOGS: Record<Locale, typeof en> = { en, da };

/** A translator outside a request (route handlers answering machines, tests), optionally for one namespace. */
export function translatorFor(locale: Locale, namespace?: string) {
  return createTranslator({ locale, messages: CATALOGS[locale], namespace: namespace as never });
}

type AnyTranslator = (key: string, values?: Record<string, string | number>) => string;

/** Words an outcome code from lib/ in the translator's language. */
export function wordMessage(t: unknown, m: Message): string {
  return (t as AnyTranslator)(`codes.${m.code}`, m.params);
}

/** Who did something, in the reader's words: machine actors are codes (lib/actors.ts), people names. */
export function actorName(t: unknown, actor: string): string {
  const key = (Object.entries(ACTORS) as [string, string][]).find(([, code]) => code === actor)?.[0];
  if (key) return (t as AnyTranslator)(`actors.${key}`);
  return actor.startsWith("e-conomic:") ? actor.slice("e-conomic:".length) : actor;
}

/** Words a map of field → outcome, for errors shown next to their fields. */
export function wordFieldMessages(t: unknown, fields: Record<string, Message> | undefined) {
  return Object.fromEntries(Object.entries(fields ?? {}).map(([path, m]) => [path, wordMessage(t, m)]));
}
