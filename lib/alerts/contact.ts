import { and, eq, isNull } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { EconomicClient, type EconomicSelf } from "@/lib/economic/client";
import { economicGrantOf, rackbeatTokenOf, type Installation } from "@/lib/installations/repository";
import { errorFields, logger } from "@/lib/log";
import { RackbeatClient } from "@/lib/rackbeat/client";

export type Contact = { email?: string; locale?: string };

/** The installer as a contact: their e-conomic e-mail (else the company's) and language. */
export function contactFromEconomic(self: EconomicSelf): Contact {
  const email = self.user?.email?.trim() || self.company.email?.trim() || undefined;
  const culture = self.user?.language?.culture?.toLowerCase();
  return { email, locale: culture ? (culture.startsWith("da") ? "da" : "en") : undefined };
}

/**
 * Who hears about problems: the contact stored at install, or — for an installation made before it was
 * kept — read once from e-conomic's `/self`, else Rackbeat's (`user.email`), and stored. Never throws:
 * a service that cannot be asked leaves the contact unknown (the settings say so by an empty field).
 */
export async function knownContact(installation: Installation): Promise<Contact> {
  if (installation.contactEmail)
    return { email: installation.contactEmail, locale: installation.contactLocale ?? undefined };
  let contact: Contact = {};
  try {
    const grant = economicGrantOf(installation);
    if (grant) contact = contactFromEconomic(await new EconomicClient(grant).getSelf());
  } catch (error) {
    logger().info({ event: "alerts.contact_unread", service: "e-conomic", ...errorFields(error) });
  }
  if (!contact.email) {
    try {
      const token = rackbeatTokenOf(installation);
      const email = token ? (await new RackbeatClient(token).getSelf()).user?.email?.trim() : undefined;
      if (email) contact = { ...contact, email };
    } catch (error) {
      logger().info({ event: "alerts.contact_unread", service: "Rackbeat", ...errorFields(error) });
    }
  }
  if (contact.email) {
    const i = schema.installations;
    await (
      await getDb()
    )
      .update(i)
      .set({ contactEmail: contact.email, contactLocale: contact.locale ?? installation.contactLocale })
      .where(and(eq(i.id, installation.id), isNull(i.contactEmail)));
  }
  return contact;
}
