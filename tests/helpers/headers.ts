/** The two e-conomic auth headers plus JSON, for tests and benchmarks that call the emulator directly. */
export const economicHeaders = (grantToken: string, secret = "sandbox-app-secret-token") => ({
  "X-AppSecretToken": secret,
  "X-AgreementGrantToken": grantToken,
  "Content-Type": "application/json",
});
