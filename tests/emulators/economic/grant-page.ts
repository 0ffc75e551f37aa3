import { Hono } from "hono";
import { escapeHtml } from "../shared/serve";
import type { EconomicEnv } from "./context";

/**
 * The grant page, /secure/api1/requestaccess.aspx: the user picks an agreement and approves (→
 * redirectUrl?token=<grant>) or declines. Decline behaviour is undocumented; we send the browser back
 * to redirectUrl with no token (EMULATOR_DECLINE_PARAM marks it), which the app treats as declined.
 */
export const EMULATOR_DECLINE_PARAM = "declined";

const TEXT = {
  "da-DK": {
    title: "Giv adgang til app",
    intro: "vil have adgang til dit regnskab i e-conomic.",
    choose: "Vælg aftale",
    approve: "Godkend",
    decline: "Afvis",
    noRedirect: "Kopiér dette token ind i appen:",
  },
  "en-US": {
    title: "Grant access to app",
    intro: "wants access to your e-conomic agreement.",
    choose: "Choose agreement",
    approve: "Approve",
    decline: "Decline",
    noRedirect: "Copy this token into the app:",
  },
} as const;

const page = (
  body: string,
  lang: string,
) => `<!doctype html><html lang="${lang.slice(0, 2)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>e-conomic</title>
<style>body{font-family:system-ui,sans-serif;background:#f3f5f7;margin:0}main{max-width:520px;margin:48px auto;background:#fff;border-radius:10px;padding:32px;box-shadow:0 2px 10px #0001}
h1{font-size:22px;margin:0 0 8px;color:#0b2a4a}.brand{color:#fff;background:#0b2a4a;padding:12px 24px;font-weight:700}label{display:block;padding:10px;border:1px solid #ccd;border-radius:6px;margin:6px 0}
button{font-size:16px;padding:10px 18px;border-radius:6px;border:0;margin-right:8px;cursor:pointer}.ok{background:#1a7f37;color:#fff}.no{background:#e5e7eb}code{word-break:break-all}</style></head>
<body><div class="brand">e-conomic (emulator)</div><main>${body}</main></body></html>`;

export function grantPageRoutes() {
  const r = new Hono<EconomicEnv>();
  const path = "/secure/api1/requestaccess.aspx";

  r.get(path, (c) => {
    const state = c.get("state");
    const q = new URL(c.req.url).searchParams;
    const locale = q.get("locale") === "da-DK" ? "da-DK" : "en-US";
    const t = TEXT[locale];
    if (q.get("appPublicToken") !== state.appPublicToken) {
      return c.html(
        page(
          `<h1>Unknown app</h1><p role="alert">The appPublicToken does not belong to any app.</p>`,
          locale,
        ),
        400,
      );
    }
    const agreements = [...state.agreements.values()]
      .map(
        (a, i) =>
          `<label><input type="radio" name="agreementNumber" value="${a.agreementNumber}" ${i === 0 ? "checked" : ""}> ${escapeHtml(a.company.name)} (${a.agreementNumber})</label>`,
      )
      .join("");
    return c.html(
      page(
        `<h1>${t.title}</h1><p><strong>${escapeHtml(state.appName)}</strong> ${t.intro}</p>
<form method="post"><fieldset style="border:0;padding:0"><legend>${t.choose}</legend>${agreements}</fieldset>
<input type="hidden" name="redirectUrl" value="${escapeHtml(q.get("redirectUrl") ?? "")}"><input type="hidden" name="locale" value="${locale}">
<p><button class="ok" name="decision" value="approve">${t.approve}</button><button class="no" name="decision" value="decline">${t.decline}</button></p></form>`,
        locale,
      ),
    );
  });

  r.post(path, async (c) => {
    const state = c.get("state");
    const form = await c.req.parseBody();
    const redirectUrl = String(form.redirectUrl ?? "");
    const locale = form.locale === "da-DK" ? "da-DK" : "en-US";
    const target = (params: Record<string, string>) => {
      const u = new URL(redirectUrl);
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
      return u.toString();
    };
    if (form.decision !== "approve") {
      return redirectUrl
        ? c.redirect(target({ [EMULATOR_DECLINE_PARAM]: "true" }), 302)
        : c.html(page("<h1>Declined</h1>", locale));
    }
    const agreementNumber = Number(form.agreementNumber);
    if (!state.agreements.has(agreementNumber))
      return c.html(page(`<h1>Choose an agreement</h1>`, locale), 400);
    const grant = state.issueGrant(agreementNumber);
    if (!redirectUrl)
      return c.html(
        page(`<h1>OK</h1><p>${TEXT[locale].noRedirect}</p><code>${escapeHtml(grant.token)}</code>`, locale),
      );
    return c.redirect(target({ token: grant.token }), 302);
  });
  return r;
}
