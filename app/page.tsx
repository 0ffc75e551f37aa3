import Link from "next/link";
import { env } from "@/lib/env";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";

export const dynamic = "force-dynamic";

const WHAT_MOVES = [
  {
    title: "Sales invoices",
    text: "Every invoice you book in Rackbeat becomes a draft or a booked invoice in e-conomic — your choice.",
  },
  {
    title: "Supplier invoices",
    text: "Booked supplier invoices land in the day book you pick, on the accounts you map per product group and VAT zone.",
  },
  {
    title: "Products",
    text: "New and changed products, with the cost price you choose: actual or recommended.",
  },
  { title: "Customers", text: "Customers follow their invoices, with VAT zone, payment terms and layout." },
  { title: "Suppliers", text: "Suppliers follow their invoices into your supplier group." },
  {
    title: "Inventory value",
    text: "Daily, weekly or monthly, the change in stock value is posted between your inventory and offset accounts.",
  },
];

export default function LandingPage() {
  const { sandbox } = env();
  return (
    <main className="mx-auto max-w-5xl px-6 py-12">
      {sandbox && (
        <p
          role="status"
          className="mb-8 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          Sandbox mode: Rackbeat and e-conomic are local emulators with a demo company. Nothing leaves this
          machine.
        </p>
      )}
      <nav className="mb-6 flex justify-end">
        <Link href="/signin" className="text-sm font-medium text-brand-600 hover:underline">
          Sign in with e-conomic
        </Link>
      </nav>
      <header className="mb-12">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">
          Rackbeat → Visma e-conomic
        </p>
        <h1 className="mt-2 text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
          Your stock in Rackbeat, your books in e-conomic — always in step.
        </h1>
        <p className="mt-4 max-w-3xl text-lg text-slate-600">
          Install once, then forget it: every invoice, supplier invoice, product, customer, supplier and
          inventory-value posting lands in e-conomic exactly once. When something cannot, we tell you in plain
          words and let you fix it.
        </p>
        <p className="mt-2 text-slate-600">
          Data moves <strong>one way only</strong>: from Rackbeat to e-conomic.
        </p>
      </header>

      <section aria-labelledby="install-heading" className="mb-14">
        <h2 id="install-heading" className="text-2xl font-semibold">
          Install in two minutes
        </h2>
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
            <h3 className="text-lg font-semibold">From Rackbeat</h3>
            <p className="mt-2 text-sm text-slate-600">
              In Rackbeat, open User settings → Apps, find Visma e-conomic and click Install. You will then
              approve the app in e-conomic.
            </p>
            <a
              href={rackbeatAppsPageUrl()}
              className="mt-4 inline-block rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2"
            >
              Open Rackbeat Apps
            </a>
          </div>
          <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
            <h3 className="text-lg font-semibold">From e-conomic Market</h3>
            <p className="mt-2 text-sm text-slate-600">
              Approve the app for your e-conomic agreement first; we then ask you for the one click left in
              Rackbeat.
            </p>
            <Link
              href="/install/economic"
              prefetch={false}
              className="mt-4 inline-block rounded-lg bg-economic px-4 py-2 font-medium text-white hover:opacity-90 focus:outline-none focus-visible:ring-2 focus-visible:ring-economic focus-visible:ring-offset-2"
            >
              Install from e-conomic
            </Link>
          </div>
        </div>
      </section>

      <section aria-labelledby="what-heading">
        <h2 id="what-heading" className="text-2xl font-semibold">
          What moves from Rackbeat to e-conomic
        </h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {WHAT_MOVES.map((item) => (
            <li key={item.title} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <h3 className="font-semibold">{item.title}</h3>
              <p className="mt-1 text-sm text-slate-600">{item.text}</p>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
