// Every test process runs as NODE_ENV=test with fixed, valid secrets (a real app gets them from lib/env).
(process.env as Record<string, string>).NODE_ENV = "test";
process.env.AUTH_SECRET ??= "test-auth-secret-test-auth-secret-0123456789";
process.env.TOKEN_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.CRON_SECRET ??= "test-cron-secret-0123456789";
