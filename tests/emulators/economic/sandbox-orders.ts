import { Hono } from "hono";
import { escapeHtml as h } from "../shared/serve";
import type { EconomicEnv } from "./context";
import { EconomicError } from "./errors";
import { makeOrder, ordersOf } from "./routes-orders";
import type { EconomicState } from "./state";

/**
 * The sandbox's stand-in for e-conomic's order screen (`/sandbox/orders`): make an order for a customer,
 * with a product line, a line without a product and a text line, and register it as sent. The app's
 * five-minute cron brings it into Rackbeat's emulator (Ordrer).
 */
export function sandboxOrderRoutes(state: EconomicState) {
  const r = new Hono<EconomicEnv>();
  const agreementOf = (raw: unknown) =>
    state.agreements.has(Number(raw)) ? Number(raw) : [...state.agreements.keys()][0];
  r.get("/sandbox/orders", (c) => {
    const n = agreementOf(c.req.query("agreement"));
    const a = state.agreement(n);
    const message = c.req.query("message");
    const orders = [...ordersOf(a).values()].sort((x, y) => y.orderNumber - x.orderNumber).slice(0, 30);
    const customers = [...a.customers.values()].slice(0, 60);
    const products = [...a.products.values()].slice(0, 80);
    return c.html(`<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Ordrer · e-conomic (emulator)</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f5f7f5;color:#1f2937}header{background:#0b6e4f;color:#fff;padding:12px 24px}main{max-width:960px;margin:24px auto;padding:0 16px}
.card{background:#fff;border-radius:10px;padding:20px;margin-bottom:16px;box-shadow:0 1px 4px #0001}label{display:inline-block;margin:4px 12px 4px 0}input,select{padding:6px;border:1px solid #ccd;border-radius:6px}
button{background:#0b6e4f;color:#fff;border:0;border-radius:6px;padding:8px 14px;cursor:pointer}table{width:100%;border-collapse:collapse}td,th{padding:6px;border-bottom:1px solid #eee;text-align:left;font-size:14px}</style></head>
<body><header><strong>e-conomic (emulator)</strong> · Ordrer</header><main>
${message ? `<p class="card" role="status">${h(message)}</p>` : ""}
<form method="get" class="card"><label>Aftale <select name="agreement" onchange="this.form.submit()">${[...state.agreements.values()].map((x) => `<option value="${x.agreementNumber}" ${x.agreementNumber === n ? "selected" : ""}>${x.agreementNumber} ${h(x.company.name)}</option>`).join("")}</select></label></form>
<div class="card"><h1>Ny ordre</h1><form method="post" action="/sandbox/orders"><input type="hidden" name="agreement" value="${n}">
<label>Kunde <select name="customer">${customers.map((x) => `<option value="${x.customerNumber}">${x.customerNumber} ${h(x.name)}</option>`).join("")}</select></label>
<label>Vare <select name="product">${products.map((p) => `<option value="${h(p.productNumber)}">${h(p.productNumber)} ${h(p.name)}</option>`).join("")}</select></label>
<label>Antal <input name="quantity" value="2" size="4"></label><label>Pris <input name="price" value="125.00" size="8"></label>
<label>Linje uden vare <input name="freeText" value="Fragt" size="10"></label><label>Pris <input name="freePrice" value="79.00" size="8"></label>
<label>Tekstlinje <input name="textLine" value="Leveres til bagdøren" size="20"></label>
<p><button>Opret og registrér som sendt</button></p></form></div>
<div class="card"><table><thead><tr><th>Ordre</th><th>Dato</th><th>Kunde</th><th>Netto</th><th>Status</th></tr></thead><tbody>
${orders.map((o) => `<tr><td>${o.orderNumber}</td><td>${h(o.date)}</td><td>${h((o.customer as { customerNumber: number }).customerNumber)}</td><td>${h(o.netAmount)} ${h(o.currency)}</td><td>${o.status === "sent" ? "Sendt" : o.status === "drafts" ? "Kladde" : "Faktureret"}</td></tr>`).join("")}
</tbody></table></div></main></body></html>`);
  });
  r.post("/sandbox/orders", async (c) => {
    const form = await c.req.parseBody();
    const n = agreementOf(form.agreement);
    const a = state.agreement(n);
    const layout = a.layouts.find((l) => !l.deleted)!;
    try {
      const order = makeOrder(
        a,
        {
          date: new Date().toISOString().slice(0, 10),
          currency: "DKK",
          customer: { customerNumber: Number(form.customer) },
          layout: { layoutNumber: layout.layoutNumber },
          paymentTerms: { paymentTermsNumber: a.paymentTerms[0].paymentTermsNumber },
          recipient: { name: "Modtager", vatZone: { vatZoneNumber: 1 } },
          lines: [
            {
              product: { productNumber: String(form.product) },
              description: String(a.products.get(String(form.product))?.name ?? form.product),
              quantity: Number(form.quantity),
              unitNetPrice: Number(form.price),
            },
            ...(form.freeText
              ? [{ description: String(form.freeText), quantity: 1, unitNetPrice: Number(form.freePrice) }]
              : []),
            ...(form.textLine ? [{ description: String(form.textLine) }] : []),
          ],
        },
        "sent",
      );
      return c.redirect(
        `/sandbox/orders?agreement=${n}&message=${encodeURIComponent(`Ordre ${order.orderNumber} er registreret som sendt. Den hentes til Rackbeat ved næste kørsel (hvert 5. minut).`)}`,
        303,
      );
    } catch (error) {
      const text = error instanceof EconomicError ? error.message : String(error);
      return c.redirect(`/sandbox/orders?agreement=${n}&message=${encodeURIComponent(`Fejl: ${text}`)}`, 303);
    }
  });
  return r;
}
