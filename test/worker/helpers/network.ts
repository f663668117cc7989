/**
 * Outbound HTTP in tests: msw's fetch interceptor inside workerd. Any
 * request that no handler answers fails the test.
 */
import { FetchInterceptor } from "@mswjs/interceptors/fetch";
import { defineNetwork, InterceptorSource } from "msw/experimental";

export const network = defineNetwork({
  sources: [new InterceptorSource({ interceptors: [new FetchInterceptor()] })],
  onUnhandledFrame: "error",
  context: { quiet: true },
});
