import { getFormatter, getTranslations } from "next-intl/server";
import { actorName } from "@/app/i18n/catalog";
import { Card } from "@/app/ui/page-shell";
import type { recentActivity } from "@/lib/installations/activity";
import { fieldLabel } from "./field-label";

type Entry = Awaited<ReturnType<typeof recentActivity>>[number];
type Details = {
  changes?: { field: string; from: unknown; to: unknown }[];
  invoiceNumber?: string;
  count?: number;
  section?: string;
  status?: string;
};

/** A value as the history shows it; nothing chosen (or nothing there) is a dash. */
const shown = (v: unknown) => (v === undefined || v === null || v === "" ? "—" : JSON.stringify(v));

/** The customer's change history, each action in their words and each changed field by its label. */
export async function ChangeHistory({ entries }: { entries: Entry[] }) {
  const t = await getTranslations("installation");
  const audit = (await getTranslations("audit")) as unknown as (
    key: string,
    values?: Record<string, string | number>,
  ) => string;
  const settings = await getTranslations("settings");
  const format = await getFormatter();
  const root = await getTranslations();
  return (
    <Card className="mt-6">
      <h2 className="text-lg font-semibold">{t("history")}</h2>
      {entries.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">{t("noHistory")}</p>
      ) : (
        <ol className="mt-3 divide-y divide-slate-100 text-sm" aria-label={t("history")}>
          {entries.map((entry) => {
            const details = entry.details as Details;
            const changes = (details.changes ?? []).slice(0, 30);
            return (
              <li key={entry.id} className="py-2">
                <div className="flex flex-wrap justify-between gap-2">
                  <span className="font-medium">
                    {audit(entry.action, {
                      invoiceNumber: details.invoiceNumber ?? "",
                      count: details.count ?? 0,
                      section: details.section ?? "",
                      status: details.status ?? "",
                    })}
                  </span>
                  <span className="text-slate-500">
                    {t("byAt", {
                      actor: actorName(root, entry.actor),
                      at: format.dateTime(entry.createdAt, { dateStyle: "medium", timeStyle: "short" }),
                    })}
                  </span>
                </div>
                {changes.length > 0 && (
                  <ul className="mt-1 space-y-0.5 break-all text-xs text-slate-600">
                    {changes.map((c) => (
                      <li key={c.field}>
                        {t("change", {
                          field: fieldLabel(settings, c.field),
                          from: shown(c.from),
                          to: shown(c.to),
                        })}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
