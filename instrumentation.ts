/**
 * Next calls this once per server start: a bad configuration stops the deploy here, with the message
 * naming each missing or malformed variable. NEXT_RUNTIME is Next's build-time constant (not app
 * configuration), checked here as Next documents so that the edge bundle never loads node-only code.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { env } = await import("./lib/env");
    env();
  }
}
