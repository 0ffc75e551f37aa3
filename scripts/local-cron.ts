import { readFileSync } from "node:fs";

/**
 * Vercel runs the crons of vercel.json in production; on a developer's machine this does, so that the
 * sandbox behaves like the real thing (the outbox every minute, the reconcile sweep, inventory values).
 * Only the minute field is read: a star runs every minute, "star-slash-n" every n minutes, a number hourly.
 */
export function startLocalCron(appUrl: string, secret: string): () => void {
  const { crons = [] } = JSON.parse(readFileSync("vercel.json", "utf8")) as {
    crons?: { path: string; schedule: string }[];
  };
  const timers = crons.map(({ path, schedule }) => {
    const minute = schedule.split(" ")[0];
    const everyMinutes = minute === "*" ? 1 : minute.startsWith("*/") ? Number(minute.slice(2)) : 60;
    const run = () =>
      fetch(`${appUrl}${path}`, { headers: { Authorization: `Bearer ${secret}` } }).catch((error: unknown) =>
        console.warn(`local cron ${path}: ${error instanceof Error ? error.message : String(error)}`),
      );
    return setInterval(run, everyMinutes * 60_000);
  });
  return () => timers.forEach(clearInterval);
}
