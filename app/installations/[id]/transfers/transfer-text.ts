import type { getFormatter } from "next-intl/server";
import { wordMessage } from "@/app/i18n/catalog";
import type { MessageCode, MessageParams } from "@/lib/messages";
import { referenceParams } from "@/lib/transfers/reference";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** A stored outcome code in the reader's language. */
export const errorText = (root: unknown, code: string | null, params: unknown) =>
  code
    ? wordMessage(root, {
        code: code as MessageCode,
        params: (params ?? undefined) as MessageParams | undefined,
      })
    : "";

/** What a transfer created in e-conomic, in words: "Booked invoice 20001". */
export const referenceText = (t: unknown, reference: string | null) =>
  reference ? (t as Translate)("ref", referenceParams(reference)) : "";

export const STATUS_TONE: Record<string, string> = {
  pending: "bg-slate-100 text-slate-800",
  running: "bg-sky-100 text-sky-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-amber-100 text-amber-900",
};

type NumberFormatter = Pick<Awaited<ReturnType<typeof getFormatter>>, "number">;
/** An amount stored exactly in øre (a string), shown in kroner with two decimals; `signed` shows + and −. */
export const kronerFrom =
  (format: NumberFormatter) =>
  (ore: string | undefined, signed = false) =>
    format.number(Number(BigInt(ore ?? "0")) / 100, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
      ...(signed ? { signDisplay: "exceptZero" as const } : {}),
    });
