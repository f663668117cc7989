/**
 * The Worker's entry. It may export only handlers and Durable Object
 * classes (workerd refuses other named exports), so it only wires.
 */
import { handleRequest } from "./http/worker-routes.ts";

export { CloudAgentSession } from "./session/cloud-agent-session.ts";

export default {
  fetch: handleRequest,
} satisfies ExportedHandler<Env>;
