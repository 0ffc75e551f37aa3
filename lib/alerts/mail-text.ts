// A mail has no browser: it is worded here, in the contact's language, from the same catalogs the pages
// use (app/i18n), so one set of words serves both.
import { translatorFor, wordMessage } from "@/app/i18n/catalog";
import type { Locale } from "@/lib/locale";
import type { MessageCode, MessageParams } from "@/lib/messages";
import type { AlertContent } from "./content";

type Say = (key: string, values?: Record<string, string | number>) => string;

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

export type WordedAlert = { subject: string; text: string; html: string; language: Locale };

/** An alert in words: subject, plain text and a simple HTML version with the same content. */
export function wordAlert(content: AlertContent, locale: Locale): WordedAlert {
  const root = translatorFor(locale);
  const say = root as unknown as Say;
  const company = { rackbeat: content.company.rackbeat, economic: content.company.economic };
  let subject: string;
  const paragraphs: string[] = [];
  const list: string[] = [];
  const links: { label: string; url: string }[] = [];
  if (content.type === "pause") {
    subject = say("alerts.pause.subject", company);
    paragraphs.push(say("alerts.pause.heading", company));
    paragraphs.push(say(`alerts.pause.reason.${content.status}`));
    paragraphs.push(say(`alerts.pause.todo.${content.status}`));
    links.push({ label: say("alerts.links.settings"), url: content.links.settings });
  } else {
    subject = say("alerts.digest.subject", { count: content.failed, ...company });
    paragraphs.push(say("alerts.digest.heading", company));
    paragraphs.push(
      say("alerts.digest.summary", {
        failed: content.failed,
        waiting: content.waitingOnSetting,
        newCount: content.newCount,
      }),
    );
    for (const item of content.items)
      list.push(
        say("alerts.digest.item", {
          kind: say(`transfers.kind.${item.kind}`),
          number: item.kind === "startup_sync" ? "" : item.sourceId,
          reason: item.errorCode
            ? wordMessage(root, {
                code: item.errorCode as MessageCode,
                params: (item.errorParams ?? undefined) as MessageParams | undefined,
              })
            : "",
        }),
      );
    if (content.failed > content.items.length)
      list.push(say("alerts.digest.more", { count: content.failed - content.items.length }));
    links.push({ label: say("alerts.links.transfers"), url: content.links.transfers });
    links.push({ label: say("alerts.links.report"), url: content.links.report });
  }
  const footer = say(content.type === "pause" ? "alerts.footer.pause" : "alerts.footer.digest");
  const settingsLine = `${say("alerts.links.settings")}: ${content.links.settings}`;

  const text = [
    ...paragraphs,
    ...(list.length ? [list.map((l) => `- ${l}`).join("\n")] : []),
    links.map((l) => `${l.label}: ${l.url}`).join("\n"),
    `${footer}\n${settingsLine}`,
  ].join("\n\n");
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,Segoe UI,sans-serif;color:#0f172a;line-height:1.5;max-width:640px">
${paragraphs.map((p, i) => (i === 0 ? `<h1 style="font-size:18px">${escape(p)}</h1>` : `<p>${escape(p)}</p>`)).join("\n")}
${list.length ? `<ul>${list.map((l) => `<li>${escape(l)}</li>`).join("")}</ul>` : ""}
<p>${links.map((l) => `<a href="${escape(l.url)}" style="display:inline-block;margin-right:12px;padding:8px 14px;border-radius:8px;background:#2563eb;color:#fff;text-decoration:none">${escape(l.label)}</a>`).join("")}</p>
<p style="font-size:12px;color:#64748b">${escape(footer)} <a href="${escape(content.links.settings)}">${escape(say("alerts.links.settings"))}</a></p>
</body></html>`;
  return { subject, text, html, language: locale };
}
