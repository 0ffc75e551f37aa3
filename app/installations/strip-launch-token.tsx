"use client";

import { useEffect } from "react";

/**
 * Opened at top level with a launch token in the address (a link copied out of Rackbeat), the token is
 * taken out of the address and the history at once; the session cookie works at top level. Inside
 * Rackbeat's iframe the token stays: it is the only proof where third-party cookies are blocked, and an
 * iframe's address is neither shown nor kept in the top-level history.
 */
export function StripLaunchToken() {
  useEffect(() => {
    if (window.top !== window) return;
    const url = new URL(window.location.href);
    if (!url.searchParams.has("lt")) return;
    url.searchParams.delete("lt");
    window.history.replaceState(window.history.state, "", url);
  }, []);
  return null;
}
