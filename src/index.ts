import { DurableObject } from "cloudflare:workers";
export class CloudAgentSession extends DurableObject<Env> {
  override async fetch(): Promise<Response> {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (a INTEGER)");
    const c = this.ctx.storage.sql.exec("INSERT INTO t VALUES (1)");
    c.toArray();
    return new Response(String(c.rowsWritten));
  }
}
export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const stub = env.CLOUD_AGENT_SESSION.getByName("x");
    return stub.fetch(req);
  },
} satisfies ExportedHandler<Env>;
