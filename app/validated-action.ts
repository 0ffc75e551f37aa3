import { getTranslations } from "next-intl/server";
import type { z } from "zod";

/** What a form's server action returns: field errors next to their fields, or one message for the form. */
export type ActionState = {
  fieldErrors?: Record<string, string>;
  formError?: string;
  message?: string;
  values?: Record<string, string>;
};

/**
 * Parses FormData with one zod schema (shared with the form) before calling the action, so every
 * action rejects bad input the same way. Schema messages are catalog keys, worded here in the reader's
 * language.
 */
export function validatedAction<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  action: (data: z.infer<S>, formData: FormData) => Promise<ActionState>,
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const raw = Object.fromEntries(
      [...formData.entries()].filter(([, v]) => typeof v === "string"),
    ) as Record<string, string>;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const t = (await getTranslations()) as unknown as (key: string) => string;
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".")] ??= t(issue.message);
      return { fieldErrors, values: raw };
    }
    return action(parsed.data, formData);
  };
}
