import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string;
  /** Stable per transfer: a receiving server that sees it twice can tell it is the same message. */
  messageId: string;
};

let transport: { url: string; transporter: Transporter } | undefined;

/** One SMTP transport per process (pooled connections), from `SMTP_URL`. */
function transporterFor(url: string): Transporter {
  if (transport?.url !== url)
    transport = {
      url,
      transporter: nodemailer.createTransport(url, {
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    };
  return transport.transporter;
}

/** Whether alerts can be sent at all: an SMTP server is configured (always in the sandbox). */
export const mailConfigured = () => Boolean(env().mail.smtpUrl);

/**
 * What a failed send means for a retry. Refused before the server accepted the message (no connection,
 * authentication, a refused envelope, or a 4xx/5xx answer to the message itself): not delivered, safe to
 * send again. Anything else (a connection lost after the message was handed over) may have been
 * delivered: never sent again.
 */
export function notDelivered(error: unknown): boolean {
  const e = error as { code?: string; responseCode?: number };
  if (typeof e.responseCode === "number" && e.responseCode >= 400) return true;
  return ["ECONNECTION", "EDNS", "EAUTH", "ENOAUTH", "EENVELOPE", "ETLS", "ECONNREFUSED"].includes(
    e.code ?? "",
  );
}

export async function sendMail(mail: OutgoingMail): Promise<{ accepted: string[] }> {
  const { smtpUrl, from } = env().mail;
  if (!smtpUrl) throw new Error("SMTP_URL is not set");
  const info = await transporterFor(smtpUrl).sendMail({
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: { "Content-Language": mail.language, "Auto-Submitted": "auto-generated" },
  });
  return {
    accepted: (info.accepted as (string | { address: string })[]).map((a) =>
      typeof a === "string" ? a : a.address,
    ),
  };
}
