/**
 * The settings page's lists from e-conomic and Rackbeat, kept per installation for a short time: a
 * tenant reloading the page, or saving it sixty times at once, costs the agreement one read of each
 * list, not one per click. A kept list is served only after one cheap call (`probe`: `GET /self`) shows
 * the service still answers this installation — so an outage or a withdrawn access shows at once, as
 * before — and callers at the same moment share one read and one probe in flight. A save asks for lists
 * read since it arrived (`since`): a choice deleted in e-conomic a moment ago is refused, and a burst of
 * saves shares one read. Kept in this process
 * (a serverless instance serves a tenant's burst; another instance reads once more); `fresh` reads anew
 * (the page's refresh control, and a save whose choice is missing from the kept list).
 */
export const CHOICES_TTL_MS = 60_000;

type Entry = { at: number; value: Promise<unknown> };
const kept = new Map<string, Entry>();
const probing = new Map<string, Promise<unknown>>();

/** One promise per key while it runs: concurrent callers share it. */
function shared(key: string, run: () => Promise<unknown>): Promise<unknown> {
  let inFlight = probing.get(key);
  if (!inFlight) {
    inFlight = run().finally(() => probing.delete(key));
    probing.set(key, inFlight);
  }
  return inFlight;
}

export type ChoicesFreshness = {
  /** Read anew. */
  fresh?: boolean;
  /**
   * A read that began at or after this moment will do (a save: the lists as they are now, not as kept a
   * minute ago — but sixty saves that arrive together share the one read that begins after them).
   */
  since?: number;
};

export async function cachedChoices<T>(
  /** Whose lists: an installation's binding (`<id>:<generation>`). */
  scope: string,
  side: "economic" | "rackbeat",
  read: { load: () => Promise<T>; probe: () => Promise<unknown> },
  options: ChoicesFreshness = {},
): Promise<T> {
  const key = `${scope}:${side}`;
  const now = Date.now();
  const entry = kept.get(key);
  if (options.since !== undefined && !options.fresh) {
    if (entry && entry.at >= options.since) return entry.value as Promise<T>;
  } else if (!options.fresh && entry && now - entry.at < CHOICES_TTL_MS) {
    try {
      await shared(key, read.probe);
    } catch (error) {
      kept.delete(key);
      throw error;
    }
    return entry.value as Promise<T>;
  }
  const value = read.load();
  kept.set(key, { at: now, value });
  // A failed read is not kept: the next caller tries again.
  value.catch(() => {
    if (kept.get(key)?.value === value) kept.delete(key);
  });
  // Old entries of other installations go as new ones come (a small, bounded map).
  if (kept.size > 500) for (const [k, e] of kept) if (now - e.at >= CHOICES_TTL_MS) kept.delete(k);
  return value;
}

/** Forgets kept lists (all, or an installation's). */
export function forgetChoices(installationId?: string): void {
  for (const key of [...kept.keys()])
    if (!installationId || key.startsWith(`${installationId}:`)) kept.delete(key);
}
