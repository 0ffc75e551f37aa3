import { Hono } from "hono";
import { simpleParser } from "mailparser";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { escapeHtml, listen, type RunningServer } from "../shared/serve";

/** One mail as the catcher received it over SMTP: envelope, headers and both bodies. */
export type CaughtMail = {
  id: number;
  receivedAt: string;
  messageId?: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  language?: string;
};

export type MailCatcher = {
  /** `smtp://127.0.0.1:<port>`: what the app's SMTP_URL points at in the sandbox and the tests. */
  smtpUrl: string;
  /** The page listing the mails, and `GET /mails` for tests. */
  web: RunningServer;
  mails: CaughtMail[];
  /** The next `count` messages are refused after DATA with a 451 (a temporary failure: not delivered). */
  refuseNext: (count: number) => void;
  close: () => Promise<void>;
};

/**
 * The sandbox's mail catcher: a real SMTP server (no auth, no TLS, 127.0.0.1 only) that keeps every
 * message it is given, and a page that lists them, so a new user sees the alerts the app sends. Tests
 * read the same list.
 */
export async function startMailCatcher(
  options: { smtpPort?: number; webPort?: number } = {},
): Promise<MailCatcher> {
  const mails: CaughtMail[] = [];
  let refusals = 0;
  let nextId = 1;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          if (refusals > 0) {
            refusals--;
            const error = Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 });
            return callback(error);
          }
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          mails.push({
            id: nextId++,
            receivedAt: new Date().toISOString(),
            messageId: parsed.messageId,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: envelopeTo,
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            ...(typeof parsed.html === "string" ? { html: parsed.html } : {}),
            ...(typeof parsed.headers.get("content-language") === "string"
              ? { language: parsed.headers.get("content-language") as string }
              : {}),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  const smtpPort = await new Promise<number>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(options.smtpPort ?? 0, "127.0.0.1", () =>
      resolve((smtp.server.address() as AddressInfo).port),
    );
  });

  const app = new Hono();
  app.get("/mails", (c) => c.json(mails));
  app.delete("/mails", (c) => {
    mails.length = 0;
    return c.body(null, 204);
  });
  app.get("/mails/:id", (c) => {
    const mail = mails.find((m) => m.id === Number(c.req.param("id")));
    if (!mail) return c.text("No such mail", 404);
    return c.html(page(escapeHtml(mail.subject), mailView(mail)));
  });
  app.get("/", (c) =>
    c.html(
      page(
        "Mail catcher",
        mails.length === 0
          ? `<p>No mail yet. Alerts the app sends in the sandbox land here.</p>`
          : `<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>${[...mails]
              .reverse()
              .map(
                (m) =>
                  `<tr><td>${escapeHtml(m.receivedAt.replace("T", " ").slice(0, 19))}</td><td>${escapeHtml(m.to.join(", "))}</td><td><a href="/mails/${m.id}">${escapeHtml(m.subject)}</a></td></tr>`,
              )
              .join("")}</tbody></table>`,
      ),
    ),
  );
  const web = await listen(app, options.webPort ?? 0);
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    web,
    mails,
    refuseNext: (count) => {
      refusals = count;
    },
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await web.close();
    },
  };
}

function mailView(m: CaughtMail) {
  return `<p><a href="/">← All mail</a></p><dl><dt>From</dt><dd>${escapeHtml(m.from)}</dd><dt>To</dt><dd>${escapeHtml(m.to.join(", "))}</dd><dt>Received</dt><dd>${escapeHtml(m.receivedAt)}</dd></dl>${
    // The HTML body is shown in a sandboxed frame: a mail's markup never runs in this page.
    m.html
      ? `<iframe title="Message" sandbox="" srcdoc="${escapeHtml(m.html)}" style="width:100%;height:70vh;border:1px solid #cbd5e1;border-radius:8px"></iframe>`
      : `<pre>${escapeHtml(m.text)}</pre>`
  }`;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>body{font:14px system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#0f172a}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e2e8f0}a{color:#2563eb}dt{font-weight:600}dd{margin:0 0 .5rem}</style></head><body><h1>${title}</h1>${body}</body></html>`;
