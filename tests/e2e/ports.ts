/** Ports of the Playwright run, apart from `npm run dev`'s, so both can run at once. */
export const E2E = {
  appPort: 3100,
  appUrl: "http://localhost:3100",
  economicPort: 4110,
  rackbeatPort: 4120,
  mailSmtpPort: 4125,
  mailWebPort: 4126,
} as const;
