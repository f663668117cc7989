/**
 * The object's one alarm, shared by deliveries, staleness and retention.
 * Each `setAlarm` is a billed row write, so the current time is remembered
 * and the alarm is only moved when it must fire earlier.
 */
export class AlarmClock {
  /** The armed time; undefined until read from storage. */
  private armedAtMs: number | null | undefined;

  constructor(private readonly storage: DurableObjectStorage) {}

  private async armed(): Promise<number | null> {
    this.armedAtMs ??= await this.storage.getAlarm();
    return this.armedAtMs;
  }

  /** Makes sure the alarm fires no later than `timeMs`. */
  async fireBy(timeMs: number): Promise<void> {
    const armed = await this.armed();
    if (armed !== null && armed <= timeMs) return;
    await this.set(timeMs);
  }

  /** Arms the alarm for exactly `timeMs`, or disarms it. */
  async set(timeMs: number | null): Promise<void> {
    if ((await this.armed()) === timeMs) return;
    if (timeMs === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(timeMs);
    this.armedAtMs = timeMs;
  }

  /** The alarm just fired: the platform has disarmed it. */
  fired(): void {
    this.armedAtMs = null;
  }
}
