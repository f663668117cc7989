/** Driving a session's alarm by hand: no real sleeps in tests. */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";

export function stubOf(sessionId: string) {
  return env.CLOUD_AGENT_SESSION.getByName(sessionId);
}

/** Fires the session's alarm now, if one is armed. @returns whether it ran. */
export async function fireAlarm(sessionId: string): Promise<boolean> {
  return runDurableObjectAlarm(stubOf(sessionId));
}

/** The armed alarm time, or null. */
export async function alarmAt(sessionId: string): Promise<number | null> {
  return runInDurableObject(stubOf(sessionId), (_, state) => state.storage.getAlarm());
}

/**
 * Pretends `ms` have passed for pending deliveries and the gate by moving
 * their stored times back, then fires the alarm.
 */
export async function advanceAndFire(sessionId: string, ms: number): Promise<boolean> {
  await runInDurableObject(stubOf(sessionId), (_, state) => {
    const sql = state.storage.sql;
    sql.exec(
      `UPDATE deliveries SET next_attempt_at_ms = next_attempt_at_ms - ?,
        wait_until_ms = wait_until_ms - ?`,
      ms,
      ms,
    );
    sql.exec(
      `UPDATE session SET last_activity_ms = last_activity_ms - ?,
        completed_at_ms = completed_at_ms - ?, created_at_ms = created_at_ms - ?`,
      ms,
      ms,
      ms,
    );
  });
  return fireAlarm(sessionId);
}
