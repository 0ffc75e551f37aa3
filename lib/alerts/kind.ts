import { localeOf } from "@/lib/locale";
import { logger, errorFields } from "@/lib/log";
import { message } from "@/lib/messages";
import type { Succeeded, TransferContext } from "@/lib/transfers/kinds/context";
import { defineTransfer } from "@/lib/transfers/kinds/define";
import { fail, failOnSetting, skip, TransferFailure } from "@/lib/transfers/failure";
import { knownContact } from "./contact";
import { digestContent, pauseContent } from "./content";
import { mailConfigured, notDelivered, sendMail } from "./mailer";
import { wordAlert } from "./mail-text";
import { alertTransfer, type AlertPayload } from "./transfer";

/**
 * One alert e-mail to the installation's contact, in their language. Sent at most once: a retry after an
 * attempt whose end was never recorded (the message may have gone) does not send again, only one after a
 * refusal that proves the message was not delivered (`alert.mail_not_sent`).
 */
async function sendAlert(ctx: TransferContext, payload: AlertPayload): Promise<Succeeded> {
  const { settings, installation, transfer } = ctx;
  if (!settings.alerts.enabled) throw skip(message("alert.off"));
  const contact = await knownContact(installation);
  const to = settings.alerts.email || contact.email;
  if (!to) throw failOnSetting("alerts", message("alert.no_address"));
  if (!mailConfigured()) throw fail(message("alert.mail_not_configured"));
  const done = (extra: Record<string, unknown>): Succeeded => ({
    outcome: "succeeded",
    settingsVersion: ctx.settingsVersion,
    payload: { ...payload, to, ...extra },
  });
  if (ctx.mayExist && transfer.errorCode !== "alert.mail_not_sent") {
    logger().warn({
      event: "alert.not_sent_again",
      transferId: transfer.id,
      installationId: installation.id,
    });
    return done({ uncertain: true });
  }
  const content =
    payload.type === "pause"
      ? pauseContent(installation, payload.status)
      : await digestContent(installation, payload.newCount);
  if (!content) throw skip(message("alert.nothing_to_say"));
  const mail = wordAlert(content, localeOf(contact.locale));
  try {
    await sendMail({ ...mail, to, messageId: `<alert-${installation.id}-${transfer.id}@rackbeat-economic>` });
  } catch (error) {
    if (notDelivered(error))
      throw new TransferFailure({
        outcome: "retry",
        message: message("alert.mail_not_sent", { reason: (error as Error).message.slice(0, 200) }),
      });
    logger().warn({ event: "alert.maybe_sent", transferId: transfer.id, ...errorFields(error) });
    return done({ subject: mail.subject, uncertain: true });
  }
  return done({ subject: mail.subject });
}

export const alertEmail = defineTransfer({
  ...alertTransfer,
  run: sendAlert,
  runsBeforeActivation: true,
  runsWhilePaused: true,
  retry: { maxAttempts: 6, baseBackoffSeconds: 60, maxBackoffSeconds: 3600 },
});
