import { Hono } from "hono";
import { escapeHtml as h } from "../shared/serve";
import type { RackbeatEnv } from "./context";
import { demoApiKey, type RackbeatState } from "./state";
import { emit, RACKBEAT_EVENTS } from "./webhooks";

type CallApi = (
  accountId: number,
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; json: Record<string, unknown> }>;

const layout = (
  title: string,
  state: RackbeatState,
  accountId: number,
  body: string,
) => `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${h(title)} · Rackbeat</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f6fb;color:#1f2937}header{background:#2d3a8c;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none}main{max-width:1000px;margin:24px auto;padding:0 16px}.card{background:#fff;border-radius:10px;padding:20px;margin-bottom:16px;box-shadow:0 1px 4px #0001}
button,.btn{background:#2d3a8c;color:#fff;border:0;border-radius:6px;padding:8px 14px;font-size:14px;cursor:pointer;text-decoration:none;display:inline-block}.secondary{background:#e5e7eb;color:#111}
table{width:100%;border-collapse:collapse}td,th{padding:6px;border-bottom:1px solid #eee;text-align:left;font-size:14px}input,select{padding:6px;border:1px solid #ccd;border-radius:6px}
.badge{background:#d1fae5;color:#065f46;padding:2px 8px;border-radius:10px;font-size:12px}.err{color:#b91c1c}iframe{width:100%;height:900px;border:0;background:#fff;border-radius:10px}</style></head>
<body><header><strong>Rackbeat (emulator)</strong><nav style="display:flex;gap:16px">
<a href="/apps?account=${accountId}">Apps</a><a href="/sandbox/invoices?account=${accountId}">Fakturaer</a><a href="/sandbox/supplier-invoices?account=${accountId}">Leverandørfakturaer</a><a href="/sandbox/products?account=${accountId}">Produkter</a><a href="/sandbox/orders?account=${accountId}">Ordrer</a></nav>
<form method="get" style="margin-left:auto"><label>Konto <select name="account" onchange="this.form.submit()">${[...state.accounts.values()].map((a) => `<option value="${a.id}" ${a.id === accountId ? "selected" : ""}>${h(a.company_name)}</option>`).join("")}</select></label></form></header>
<main>${body}</main></body></html>`;

export function uiRoutes(state: RackbeatState, callApi: CallApi) {
  const r = new Hono<RackbeatEnv>();
  const accountOf = (raw: string | undefined | File) =>
    state.accounts.has(Number(raw)) ? Number(raw) : [...state.accounts.keys()][0];
  const back = (path: string, accountId: number, message?: string) =>
    `${path}?account=${accountId}${message ? `&message=${encodeURIComponent(message)}` : ""}`;
  const note = (c: { req: { query: (k: string) => string | undefined } }) =>
    c.req.query("message") ? `<p class="card" role="status">${h(c.req.query("message"))}</p>` : "";

  r.get("/", (c) => c.redirect(`/apps?account=${accountOf(c.req.query("account"))}`));

  r.get("/apps", (c) => {
    const accountId = accountOf(c.req.query("account"));
    const key = `${accountId}:${state.appSlug}`;
    const installed = state.installed.has(key);
    return c.html(
      layout(
        "Apps",
        state,
        accountId,
        `${note(c)}<h1>Apps</h1><div class="card"><h2>${h(state.appName)} ${installed ? '<span class="badge">Installeret</span>' : ""}</h2>
<p>Overfør fakturaer, leverandørfakturaer, produkter, kunder, leverandører og lagerværdi fra Rackbeat til e-conomic.</p>
${installed ? `<a class="btn" href="/apps/${state.appSlug}?account=${accountId}">Åbn indstillinger</a> <form method="post" action="/apps/uninstall" style="display:inline"><input type="hidden" name="account" value="${accountId}"><button class="secondary">Afinstallér</button></form>` : ""}
<form method="post" action="/apps/install" style="display:inline"><input type="hidden" name="account" value="${accountId}"><button>${installed ? "Installér igen" : "Install"}</button></form></div>`,
      ),
    );
  });
  r.post("/apps/install", async (c) => {
    const form = await c.req.parseBody();
    const t = state.createRequestToken(accountOf(form.account));
    const target = new URL(state.installUrl);
    target.searchParams.set("token", t.token);
    return c.redirect(target.toString(), 302);
  });
  r.post("/apps/uninstall", async (c) => {
    const form = await c.req.parseBody();
    const accountId = accountOf(form.account);
    uninstall(state, accountId, state.appSlug);
    return c.redirect(back("/apps", accountId, "Appen er afinstalleret."), 303);
  });
  r.get("/apps/:slug", (c) => {
    const accountId = accountOf(c.req.query("account"));
    const url = state.settingsUrls.get(`${accountId}:${c.req.param("slug")}`);
    return c.html(
      layout(
        "App",
        state,
        accountId,
        url
          ? `<iframe title="App settings" src="${h(url)}"></iframe>`
          : `<div class="card">Appen har ikke registreret en indstillingsside.</div>`,
      ),
    );
  });

  // --- the sandbox: make Rackbeat do things, so that webhooks fire ------------------------------
  for (const kind of ["customer", "supplier"] as const) {
    const path = kind === "customer" ? "/sandbox/invoices" : "/sandbox/supplier-invoices";
    r.get(path, (c) => {
      const accountId = accountOf(c.req.query("account"));
      const a = state.account(accountId);
      const invoices = [...(kind === "customer" ? a.customerInvoices : a.supplierInvoices).values()]
        .sort((x, y) => y.number - x.number)
        .slice(0, 50);
      const parties =
        kind === "customer" ? [...a.customers.values()].slice(0, 60) : [...a.suppliers.values()];
      const products = [...a.products.values()].slice(0, 80);
      const rows = invoices
        .map(
          (i) =>
            `<tr><td>${i.number}</td><td>${h(i.invoice_date)}</td><td>${kind === "customer" ? i.customer_id : i.supplier_id}</td><td>${i.total_total.toFixed(2)} ${h(i.currency)}</td><td>${i.is_booked ? '<span class="badge">Bogført</span>' : `<form method="post" action="${path}/${i.number}/book"><input type="hidden" name="account" value="${accountId}"><button aria-label="Bogfør ${i.number}">Bogfør</button></form>`}</td></tr>`,
        )
        .join("");
      return c.html(
        layout(
          kind === "customer" ? "Fakturaer" : "Leverandørfakturaer",
          state,
          accountId,
          `${note(c)}<h1>${kind === "customer" ? "Fakturaer" : "Leverandørfakturaer"}</h1>
<div class="card"><h2>Ny faktura</h2><form method="post" action="${path}"><input type="hidden" name="account" value="${accountId}">
<label>${kind === "customer" ? "Kunde" : "Leverandør"} <select name="party">${parties.map((p) => `<option value="${p.number}">${p.number} ${h(p.company_name)}</option>`).join("")}</select></label>
<label>Produkt <select name="product">${products.map((p) => `<option value="${h(p.number)}">${h(p.number)} ${h(p.name)}</option>`).join("")}</select></label>
<label>Antal <input name="quantity" value="1" size="4"></label> <label>Pris <input name="price" value="100.00" size="8"></label>
<label><input type="checkbox" name="book" value="1" checked> Bogfør med det samme</label> <button>Opret</button></form></div>
<div class="card"><table><thead><tr><th>Nr.</th><th>Dato</th><th>${kind === "customer" ? "Kunde" : "Leverandør"}</th><th>Total</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`,
        ),
      );
    });
    r.post(path, async (c) => {
      const form = await c.req.parseBody();
      const accountId = accountOf(form.account);
      const created = await callApi(accountId, "POST", `/${kind}-invoices`, {
        [kind === "customer" ? "customer_id" : "supplier_id"]: Number(form.party),
        lines: [
          { child_id: String(form.product), quantity: Number(form.quantity), line_price: Number(form.price) },
        ],
      });
      if (created.status !== 201)
        return c.redirect(
          back(path, accountId, `Fejl: ${JSON.stringify(created.json.errors ?? created.json)}`),
          303,
        );
      const number = (created.json[`${kind}_invoice`] as { number: number }).number;
      if (form.book) await callApi(accountId, "POST", `/${kind}-invoices/${number}/book`, {});
      return c.redirect(
        back(path, accountId, `Faktura ${number} oprettet${form.book ? " og bogført" : ""}.`),
        303,
      );
    });
    r.post(`${path}/:number/book`, async (c) => {
      const form = await c.req.parseBody();
      const accountId = accountOf(form.account);
      const res = await callApi(accountId, "POST", `/${kind}-invoices/${c.req.param("number")}/book`, {});
      return c.redirect(
        back(
          path,
          accountId,
          res.status === 200
            ? `Faktura ${c.req.param("number")} bogført.`
            : `Fejl: ${JSON.stringify(res.json)}`,
        ),
        303,
      );
    });
  }

  // Orders as they arrive from e-conomic (the app's five-minute cron), newest first.
  r.get("/sandbox/orders", (c) => {
    const accountId = accountOf(c.req.query("account"));
    const orders = [...(state.account(accountId).orders ?? new Map()).values()]
      .sort((x, y) => y.number - x.number)
      .slice(0, 50);
    const rows = orders
      .map(
        (o) =>
          `<tr><td>${o.number}</td><td>${o.customer_id}</td><td>${h(o.our_reference ?? "")}</td><td>${o.lines.map((l) => `${h(l.quantity)} × ${h(l.child_id)} ${h(l.name)}`).join("<br>")}</td><td>${h(o.note ?? "")}</td><td>${o.total_subtotal.toFixed(2)} ${h(o.currency)}</td></tr>`,
      )
      .join("");
    return c.html(
      layout(
        "Ordrer",
        state,
        accountId,
        `<h1>Ordrer</h1><div class="card"><table><thead><tr><th>Nr.</th><th>Kunde</th><th>Vores ref.</th><th>Linjer</th><th>Note</th><th>Netto</th></tr></thead><tbody>${rows || '<tr><td colspan="6">Ingen ordrer endnu.</td></tr>'}</tbody></table></div>`,
      ),
    );
  });

  r.get("/sandbox/products", (c) => {
    const accountId = accountOf(c.req.query("account"));
    const products = [...state.account(accountId).products.values()].slice(0, 60);
    const rows = products
      .map(
        (
          p,
        ) => `<tr><td>${h(p.number)}</td><td><form method="post" action="/sandbox/products/save" style="display:flex;gap:6px"><input type="hidden" name="account" value="${accountId}"><input type="hidden" name="number" value="${h(p.number)}">
<input name="name" value="${h(p.name)}" aria-label="Navn ${h(p.number)}" size="34"><input name="sales_price" value="${p.sales_price}" aria-label="Salgspris ${h(p.number)}" size="8"><button>Gem</button></form></td><td>${p.stock_quantity}</td></tr>`,
      )
      .join("");
    return c.html(
      layout(
        "Produkter",
        state,
        accountId,
        `${note(c)}<h1>Produkter</h1><div class="card"><table><thead><tr><th>Nr.</th><th>Navn / salgspris</th><th>Lager</th></tr></thead><tbody>${rows}</tbody></table></div>`,
      ),
    );
  });
  r.post("/sandbox/products/save", async (c) => {
    const form = await c.req.parseBody();
    const accountId = accountOf(form.account);
    const res = await callApi(accountId, "PUT", `/products/${encodeURIComponent(String(form.number))}`, {
      name: String(form.name),
      sales_price: Number(form.sales_price),
    });
    return c.redirect(
      back(
        "/sandbox/products",
        accountId,
        res.status === 200 ? `Produkt ${form.number} gemt.` : `Fejl: ${JSON.stringify(res.json)}`,
      ),
      303,
    );
  });
  return r;
}

/** The user removes the app in Rackbeat: the plugin.uninstalled webhook fires and its tokens stop working. */
export function uninstall(state: RackbeatState, accountId: number, slug: string): void {
  emit(
    state,
    accountId,
    RACKBEAT_EVENTS.pluginUninstalled,
    { key: slug, key_name: "id", data: { slug } },
    slug,
  );
  state.installed.delete(`${accountId}:${slug}`);
  for (const t of state.tokens.values()) if (t.accountId === accountId && t.plugin === slug) t.revoked = true;
}

export const personalKey = demoApiKey;
