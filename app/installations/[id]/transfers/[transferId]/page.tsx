import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { AccountMenu } from "@/app/ui/account-menu";
import { Banner, buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { LaunchTokenField, launchHref, requireInstallationPage } from "@/app/installations/access";
import { LaunchTokenNotice } from "@/app/installations/launch-token-notice";
import { getTransfer } from "@/lib/transfers/queries";
import type { TransferKind } from "@/lib/transfers/registry";
import { retryTransfersAction } from "../actions";
import { errorText, kronerFrom, referenceText, STATUS_TONE } from "../transfer-text";

export const dynamic = "force-dynamic";

type Payload = {
  total?: number;
  currency?: string;
  found?: boolean;
  bookedLaterInEconomic?: boolean;
  // Inventory value postings (lib/transfers/kinds/inventory-value.ts): øre as strings.
  valueOre?: string;
  previousOre?: string;
  differenceOre?: string;
  previousPeriod?: string;
  missedPeriods?: number;
  noVoucher?: boolean;
  reshaped?: { line: number; reason: string; difference?: number }[];
  // Orders from e-conomic (lib/transfers/kinds/economic-order.ts).
  rackbeatOrder?: number;
  economicNetOre?: string;
  rackbeatNet?: number;
  emptyLines?: number;
  textLines?: number;
  createdCustomer?: number;
  changedInEconomic?: string;
};

/** One transfer: what it is, where it stands, what was sent, what went wrong and what to do, every attempt. */
export default async function TransferPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; transferId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { access, search } = await requireInstallationPage({ params, searchParams });
  const { installation } = access;
  const lt = access.launchToken;
  const { transferId } = await params;
  const retried = typeof search.retried === "string" ? search.retried : undefined;
  const found = await getTransfer(installation.id, Number(transferId));
  if (!found) notFound();
  const { transfer, attempts, followUps } = found;
  const t = await getTranslations("transfers");
  const root = await getTranslations();
  const format = await getFormatter();
  const when = (d: Date | null) =>
    d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "medium" }) : "—";
  const payload = (transfer.payload ?? {}) as Payload;
  const kroner = kronerFrom(format);
  const what = t("detail.title", {
    kind: t(`kind.${transfer.kind as TransferKind}`),
    number: transfer.kind === "startup_sync" ? "" : transfer.sourceId,
  });
  const problem =
    transfer.status === "succeeded" ? "" : errorText(root, transfer.errorCode, transfer.errorParams);

  return (
    <PageShell wide aside={lt ? undefined : <AccountMenu />}>
      <LaunchTokenNotice access={access} />
      <nav className="mb-2 text-sm">
        <Link
          className="text-brand-600 hover:underline"
          href={launchHref(access, `/installations/${installation.id}/transfers`)}
        >
          ← {t("title")}
        </Link>
      </nav>
      <header className="mb-6 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{what}</h1>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_TONE[transfer.status]}`}>
          {t(`status.${transfer.status}`)}
        </span>
      </header>
      {retried !== undefined && <Banner tone="info" title={t("retried", { count: Number(retried) || 0 })} />}

      {problem && (
        <Card className="mb-6 border-red-200">
          <h2 className="text-lg font-semibold">{t("detail.problem")}</h2>
          <p className="mt-2 text-slate-800">{problem}</p>
          {transfer.vendorMessage && (
            <div className="mt-3 rounded-md bg-slate-50 p-3 text-sm">
              <p className="font-medium text-slate-700">
                {transfer.errorCode?.startsWith("transfer.rackbeat")
                  ? t("detail.vendorRackbeat")
                  : t("detail.vendor")}
              </p>
              <p className="mt-1 whitespace-pre-wrap break-words text-slate-800">{transfer.vendorMessage}</p>
            </div>
          )}
          {transfer.status === "failed" && (
            <form action={retryTransfersAction} className="mt-4">
              <input type="hidden" name="installationId" value={installation.id} />
              <input type="hidden" name="transferId" value={transfer.id} />
              <LaunchTokenField token={lt} />
              <button type="submit" className={buttonClass()}>
                {t("retry")}
              </button>
            </form>
          )}
        </Card>
      )}

      <Card className="mb-6">
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
          <Item label={t("detail.economic")} value={referenceText(t, transfer.economicReference) || "—"} />
          <Item label={t("detail.queued")} value={when(transfer.createdAt)} />
          <Item label={t("detail.completed")} value={when(transfer.completedAt)} />
          <Item label={t("detail.attempts")} value={String(transfer.attempts)} />
          <Item
            label={t("detail.settingsVersion")}
            value={transfer.settingsVersion ? String(transfer.settingsVersion) : "—"}
          />
          {payload.total !== undefined && (
            <Item
              label={t("detail.sent")}
              value={t("detail.total", {
                total: format.number(payload.total, { minimumFractionDigits: 2 }),
                currency: payload.currency ?? "",
              })}
            />
          )}
          {payload.valueOre !== undefined && (
            <>
              <Item
                label={t("detail.inventoryValue", { period: transfer.sourceId })}
                value={kroner(payload.valueOre)}
              />
              <Item
                label={t("detail.inventoryPrevious", { period: payload.previousPeriod ?? "none" })}
                value={kroner(payload.previousOre ?? "0")}
              />
              <Item
                label={t("detail.inventoryDifference")}
                value={kroner(payload.differenceOre ?? "0", true)}
              />
            </>
          )}
        </dl>
        {transfer.kind === "economic_order" && (
          <OrderDetails payload={payload} t={t as unknown as Words} kroner={kroner} when={when} />
        )}
        {payload.noVoucher && <p className="mt-4 text-sm text-slate-700">{t("detail.inventoryNoChange")}</p>}
        {(payload.missedPeriods ?? 0) > 0 && (
          <p className="mt-4 text-sm text-slate-700">
            {t("detail.inventoryCatchUp", {
              count: payload.missedPeriods ?? 0,
              since: payload.previousPeriod ?? "",
            })}
          </p>
        )}
        {payload.found && <p className="mt-4 text-sm text-slate-700">{t("detail.found")}</p>}
        {transfer.kind === "startup_sync" && (
          <p className="mt-4 text-sm text-slate-700">
            <Link
              className="text-brand-600 hover:underline"
              href={launchHref(access, `/installations/${installation.id}`)}
            >
              {t("detail.startupProgress")}
            </Link>
          </p>
        )}
        {payload.bookedLaterInEconomic && (
          <p className="mt-4 text-sm text-slate-700">{t("detail.bookedLater")}</p>
        )}
        {followUps.map((f) => (
          <p key={f.id} className="mt-4 text-sm text-slate-700">
            <Link
              className="text-brand-600 hover:underline"
              href={launchHref(access, `/installations/${installation.id}/transfers/${f.id}`)}
            >
              {t("detail.followUp", {
                kind: t(`kind.${f.kind as TransferKind}`),
                status: t(`status.${f.status}`),
              })}
            </Link>
            {f.status !== "succeeded" && f.errorCode && <> — {errorText(root, f.errorCode, f.errorParams)}</>}
          </p>
        ))}
        {payload.reshaped && payload.reshaped.length > 0 && (
          <ul className="mt-4 list-disc space-y-1 pl-5 text-sm text-slate-700">
            {payload.reshaped.map((r) => (
              <li key={r.line}>
                {t("detail.reshaped", {
                  line: r.line,
                  reason: r.reason,
                  difference: format.number(r.difference ?? 0, {
                    minimumFractionDigits: 2,
                    signDisplay: "always",
                  }),
                })}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card>
        <h2 className="text-lg font-semibold">{t("detail.history")}</h2>
        {attempts.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("detail.noAttempts")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <table className="min-w-full text-sm">
              <thead className="text-left text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t("detail.attempt")}
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t("detail.queued")}
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t("detail.outcomeLabel")}
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t("detail.http")}
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t("detail.problem")}
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    {t("detail.logId")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {attempts.map((a) => (
                  <tr key={a.id}>
                    <td className="py-1 pr-3">{a.attempt}</td>
                    <td className="whitespace-nowrap py-1 pr-3">{when(a.startedAt)}</td>
                    <td className="py-1 pr-3">{a.outcome ? t(`detail.outcome.${a.outcome}`) : "—"}</td>
                    <td className="py-1 pr-3">{a.httpStatus ?? ""}</td>
                    <td className="py-1 pr-3">{errorText(root, a.errorCode, a.errorParams)}</td>
                    <td className="break-all py-1 font-mono text-xs">{a.economicLogId ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </PageShell>
  );
}

function Item({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className="font-medium text-slate-900">{value}</dd>
    </div>
  );
}

type Words = (key: string, values?: Record<string, string | number>) => string;

/** An order brought from e-conomic: the Rackbeat order, both nets, what was adapted, and who owns it now. */
function OrderDetails(props: {
  payload: Payload;
  t: Words;
  kroner: (ore: string | undefined) => string;
  when: (d: Date | null) => string;
}) {
  const { payload, t, kroner, when } = props;
  return (
    <div className="mt-4 space-y-2 text-sm text-slate-700">
      {payload.rackbeatOrder !== undefined && (
        <p>{t("detail.orderInRackbeat", { number: payload.rackbeatOrder })}</p>
      )}
      {payload.economicNetOre !== undefined && (
        <p>
          {t("detail.orderNets", {
            economic: kroner(payload.economicNetOre),
            rackbeat:
              payload.rackbeatNet !== undefined ? kroner(String(Math.round(payload.rackbeatNet * 100))) : "—",
            currency: payload.currency ?? "",
          })}
        </p>
      )}
      {(payload.emptyLines ?? 0) > 0 && (
        <p>{t("detail.orderEmptyLines", { count: payload.emptyLines ?? 0 })}</p>
      )}
      {(payload.textLines ?? 0) > 0 && <p>{t("detail.orderTextLines", { count: payload.textLines ?? 0 })}</p>}
      {payload.createdCustomer !== undefined && (
        <p>{t("detail.orderCreatedCustomer", { customer: payload.createdCustomer })}</p>
      )}
      {payload.changedInEconomic ? (
        <Banner tone="warning" title={t("detail.orderChangedTitle")}>
          {t("detail.orderChanged", { when: when(new Date(payload.changedInEconomic)) })}
        </Banner>
      ) : (
        <p>{t("detail.orderOwned")}</p>
      )}
    </div>
  );
}
