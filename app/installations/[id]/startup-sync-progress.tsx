"use client";

import { launchHref } from "@/app/installations/launch-token";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { StartupSyncStatus } from "@/lib/sync/status";

const RUNNING = new Set(["not_chosen", "pending", "running"]);

/**
 * The start-up synchronization as it runs: one progress bar per entity (done / total), polled from our
 * own database every second, then the summary and the records Rackbeat could not take.
 */
export function StartupSyncProgress({
  installationId,
  launchToken,
}: {
  installationId: string;
  launchToken?: string;
}) {
  const t = useTranslations("settings.startup");
  const codes = useTranslations("codes") as unknown as (
    key: string,
    values?: Record<string, unknown>,
  ) => string;
  const [status, setStatus] = useState<StartupSyncStatus | null>(null);
  const [unreachable, setUnreachable] = useState(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const url = launchHref({ launchToken }, `/api/installations/${installationId}/startup-sync`);
        const response = await fetch(url, {
          cache: "no-store",
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const next = (await response.json()) as StartupSyncStatus;
        if (stopped) return;
        setStatus(next);
        setUnreachable(false);
        if (!RUNNING.has(next.state)) return;
      } catch {
        if (!stopped) setUnreachable(true);
      }
      if (!stopped) timer = setTimeout(poll, 1000);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [installationId, launchToken]);

  if (!status)
    return (
      <p className="text-sm text-slate-600" role="status">
        {t("loading")}
      </p>
    );
  const running = RUNNING.has(status.state);
  return (
    <div className="space-y-4" aria-live="polite">
      <p className="text-sm font-medium text-slate-800" role="status">
        {running ? t("running") : status.state === "succeeded" ? t("finished") : t("stopped")}
      </p>
      {unreachable && <p className="text-sm text-amber-800">{t("pollFailed")}</p>}
      {status.problem && running && (
        <p className="text-sm text-amber-800">
          {codes(status.problem.code, status.problem.params as Record<string, unknown>)}
        </p>
      )}
      <ul className="space-y-3">
        {status.entities.map((e) => {
          const total = e.total ?? 0;
          const percent = total ? Math.min(100, Math.round((e.done / total) * 100)) : e.finished ? 100 : 0;
          const label = t(`entity.${e.entity}`);
          return (
            <li key={e.entity}>
              <div className="flex justify-between text-sm">
                <span>{label}</span>
                <span className="tabular-nums text-slate-600">
                  {e.total === null
                    ? t("counting")
                    : t("doneOfTotal", { done: String(e.done), total: String(total) })}
                </span>
              </div>
              <div
                role="progressbar"
                aria-label={label}
                aria-valuemin={0}
                aria-valuemax={total || 1}
                aria-valuenow={total ? e.done : e.finished ? 1 : 0}
                className="mt-1 h-2 overflow-hidden rounded-full bg-slate-200"
              >
                <div
                  className={`h-full rounded-full transition-[width] duration-500 ${e.failed ? "bg-amber-500" : "bg-brand-600"}`}
                  style={{ width: `${percent}%` }}
                />
              </div>
            </li>
          );
        })}
      </ul>
      {status.state === "succeeded" && (
        <div>
          <h3 className="text-sm font-medium text-slate-800">{t("summary")}</h3>
          <table className="mt-2 min-w-full text-sm">
            <thead className="text-left text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  {t("what")}
                </th>
                <th scope="col" className="px-3 py-1 text-right font-medium">
                  {t("created")}
                </th>
                <th scope="col" className="px-3 py-1 text-right font-medium">
                  {t("kept")}
                </th>
                <th scope="col" className="px-3 py-1 text-right font-medium">
                  {t("failed")}
                </th>
              </tr>
            </thead>
            <tbody>
              {status.entities.map((e) => (
                <tr key={e.entity} className="border-t border-slate-100">
                  <th scope="row" className="py-1 pr-3 text-left font-normal">
                    {t(`entity.${e.entity}`)}
                  </th>
                  <td className="px-3 py-1 text-right tabular-nums">{e.created}</td>
                  <td className="px-3 py-1 text-right tabular-nums">{e.kept}</td>
                  <td className="px-3 py-1 text-right tabular-nums">{e.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-xs text-slate-500">{t("keptHint")}</p>
        </div>
      )}
      {status.errors.length > 0 && (
        <div>
          <h3 className="text-sm font-medium text-slate-800">
            {t("errors", { count: String(status.errorCount) })}
          </h3>
          <ul className="mt-2 space-y-1 text-sm">
            {status.errors.map((e) => (
              <li key={`${e.entity}:${e.number}`}>
                <span className="font-medium">
                  {t(`entity.${e.entity}`)} {e.number}
                  {e.name ? ` (${e.name})` : ""}:
                </span>{" "}
                {codes(e.code, e.params as Record<string, unknown>)}
                {e.vendorMessage && (
                  <span className="text-slate-600"> {t("rackbeatSaid", { words: e.vendorMessage })}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
