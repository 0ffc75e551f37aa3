import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Banner, buttonClass, Card } from "@/app/ui/page-shell";
import { TRANSFER_STATUSES } from "@/db/vocabulary";
import { TRANSFER_KINDS, type TransferKind } from "@/lib/transfers/registry";
import { LaunchTokenField, launchHref, requireInstallationPage } from "@/app/installations/access";
import { InstallationPage } from "../installation-page";
import { listTransfers, transferFilterSchema, transferOverview } from "@/lib/transfers/queries";
import { retryTransfersAction } from "./actions";
import { errorText, kronerFrom, referenceText, STATUS_TONE } from "./transfer-text";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("transfers"))("title") };
}

/** Every transfer of an installation: counts, filters, a list, and Retry for what failed. */
export default async function TransfersPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { access, search } = await requireInstallationPage({ params, searchParams });
  const { installation } = access;
  const lt = access.launchToken;
  const t = await getTranslations("transfers");
  const bm = await getTranslations("booksMatch");
  const root = await getTranslations();
  const format = await getFormatter();
  const filters = transferFilterSchema.parse(search);
  const [overview, list] = await Promise.all([
    transferOverview(installation.id),
    listTransfers(installation.id, filters),
  ]);
  const filtered = Boolean(filters.kind || filters.status || filters.from || filters.to || filters.number);
  const base = `/installations/${installation.id}/transfers`;
  const pageHref = (page: number) => {
    const q = new URLSearchParams(
      Object.entries({ ...filters, page: String(page) }).filter((e): e is [string, string] => Boolean(e[1])),
    );
    return launchHref(access, `${base}?${q}`);
  };
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const kroner = kronerFrom(format);
  /** An inventory value posting in short: the value and the difference posted. */
  const inventorySummary = (payload: unknown) => {
    const p = payload as { valueOre?: string; differenceOre?: string };
    return p.valueOre === undefined
      ? ""
      : t("inventorySummary", { value: kroner(p.valueOre), difference: kroner(p.differenceOre, true) });
  };
  const retried = typeof search.retried === "string" ? Number(search.retried) : undefined;
  const waiting = typeof search.waiting === "string" ? Number(search.waiting) || 0 : 0;

  return (
    <InstallationPage
      access={access}
      title={t("title")}
      intro={t("intro")}
      links={[
        { label: `← ${t("back")}`, path: "" },
        { label: bm("open"), path: "/books-match" },
      ]}
    >
      {search.limited !== undefined && <Banner tone="info" title={t("retriedLimited")} />}
      {retried !== undefined && Number.isFinite(retried) && (
        <Banner tone="info" title={t("retried", { count: retried })}>
          {waiting > 0 && t("retriedWaiting", { count: waiting })}
        </Banner>
      )}

      <section aria-label={t("title")} className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-5">
        {TRANSFER_STATUSES.map((status) => (
          <Link
            key={status}
            href={launchHref(access, `${base}?status=${status}`)}
            className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm hover:border-brand-600"
          >
            <span className="block text-2xl font-semibold">{overview.counts[status]}</span>
            <span className="text-sm text-slate-600">{t(`status.${status}`)}</span>
          </Link>
        ))}
      </section>
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          {overview.lastSucceededAt ? t("lastSucceeded", { at: when(overview.lastSucceededAt) }) : t("never")}
        </p>
        {overview.counts.failed > 0 && (
          <form action={retryTransfersAction}>
            <input type="hidden" name="installationId" value={installation.id} />
            <LaunchTokenField token={lt} />
            <button type="submit" className={buttonClass()}>
              {t("retryAll", { count: overview.counts.failed })}
            </button>
          </form>
        )}
      </div>

      <Card className="mb-6">
        <form method="get" className="grid items-end gap-3 sm:grid-cols-6" aria-label={t("filters.legend")}>
          <LaunchTokenField token={lt} />
          <Field label={t("filters.kind")} htmlFor="f-kind">
            <select id="f-kind" name="kind" defaultValue={filters.kind ?? ""} className={inputClass}>
              <option value="">{t("filters.any")}</option>
              {TRANSFER_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("filters.status")} htmlFor="f-status">
            <select id="f-status" name="status" defaultValue={filters.status ?? ""} className={inputClass}>
              <option value="">{t("filters.any")}</option>
              {TRANSFER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("filters.from")} htmlFor="f-from">
            <input
              id="f-from"
              type="date"
              name="from"
              defaultValue={filters.from ?? ""}
              className={inputClass}
            />
          </Field>
          <Field label={t("filters.to")} htmlFor="f-to">
            <input id="f-to" type="date" name="to" defaultValue={filters.to ?? ""} className={inputClass} />
          </Field>
          <Field label={t("filters.number")} htmlFor="f-number">
            <input
              id="f-number"
              name="number"
              inputMode="numeric"
              defaultValue={filters.number ?? ""}
              className={inputClass}
            />
          </Field>
          <div className="flex gap-2">
            <button type="submit" className={buttonClass("secondary")}>
              {t("filters.apply")}
            </button>
            {filtered && (
              <Link className={buttonClass("secondary")} href={launchHref(access, base)}>
                {t("filters.clear")}
              </Link>
            )}
          </div>
        </form>
      </Card>

      {list.rows.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-600">{filtered ? t("emptyFiltered") : t("empty")}</p>
        </Card>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-sm">
            <caption className="sr-only">{t("table.caption")}</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("table.when")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("table.what")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("table.status")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("table.economic")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("table.message")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  <span className="sr-only">{t("table.details")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.rows.map((row) => (
                <tr key={row.id}>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600">{when(row.createdAt)}</td>
                  <td className="px-3 py-2">
                    {t(`kind.${row.kind as TransferKind}`)} {row.kind === "startup_sync" ? "" : row.sourceId}
                  </td>
                  <td className="px-3 py-2">
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_TONE[row.status]}`}
                    >
                      {t(`status.${row.status}`)}
                    </span>
                  </td>
                  <td className="px-3 py-2">{referenceText(t, row.economicReference)}</td>
                  <td className="max-w-md px-3 py-2 text-slate-700">
                    {row.status !== "succeeded"
                      ? errorText(root, row.errorCode, row.errorParams)
                      : row.kind === "inventory_value"
                        ? inventorySummary(row.payload)
                        : ""}
                  </td>
                  <td className="px-3 py-2 text-right">
                    <Link
                      className="text-brand-600 hover:underline"
                      href={launchHref(access, `${base}/${row.id}`)}
                    >
                      {t("table.details")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(list.page > 1 || list.hasMore) && (
        <nav className="mt-4 flex justify-between text-sm">
          {list.page > 1 ? (
            <Link className="text-brand-600 hover:underline" href={pageHref(list.page - 1)}>
              ← {t("previous")}
            </Link>
          ) : (
            <span />
          )}
          {list.hasMore && (
            <Link className="text-brand-600 hover:underline" href={pageHref(list.page + 1)}>
              {t("next")} →
            </Link>
          )}
        </nav>
      )}
    </InstallationPage>
  );
}

const inputClass = "block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm";

function Field({ label, htmlFor, children }: { label: string; htmlFor: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
    </div>
  );
}
