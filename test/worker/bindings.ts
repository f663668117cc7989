/** Vars and secrets for the tests inside workerd: fixed, short, and fake. */
export const TEST_BINDINGS = {
  API_URL: "https://web.test",
  CALLBACK_ALLOWED_ORIGINS: "https://web.test,https://hooks.test",
  ALLOW_INSECURE_CALLBACKS: "false",
  USAGE_GATE_MS: "60000",
  // Short, so that the timeout test waits one second, not ten.
  DELIVERY_TIMEOUT_MS: "1000",
  DELIVERY_RETRY_DELAYS_MS:
    "2000,10000,30000,120000,600000,1800000,3600000,10800000,21600000,43200000",
  STALE_AFTER_MS: "600000",
  RETENTION_MS: "2592000000",
  ENABLE_BENCH_ROUTES: "true",
  INTERNAL_API_SECRET: "test-internal-secret-5b1f",
  SESSION_API_SECRET: "test-session-secret-9c2e",
  ADMIN_API_SECRET: "test-admin-secret-7d3a",
} as const;
