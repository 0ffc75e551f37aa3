"use client";

import { useSyncExternalStore, type ReactNode } from "react";

const noSubscription = () => () => {};

/** Shows its children only when the page is not inside a frame (Rackbeat's iframe is not asked). */
export function TopLevelOnly({ children }: { children: ReactNode }) {
  const topLevel = useSyncExternalStore(
    noSubscription,
    () => window.top === window,
    () => false,
  );
  return topLevel ? children : null;
}
