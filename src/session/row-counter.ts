/**
 * Counts the rows that SQL statements write: what Durable Object storage
 * bills, and what the benchmark and tests check per envelope. Only the
 * `exec` the stores use is wrapped.
 */

/** The part of `SqlStorage` the stores use. */
export type Sql = Pick<SqlStorage, "exec">;

export class RowCounter implements Sql {
  /** Rows written through this wrapper since the object woke. */
  rowsWritten = 0;

  constructor(private readonly sql: SqlStorage) {}

  exec<T extends Record<string, SqlStorageValue>>(
    query: string,
    ...bindings: unknown[]
  ): SqlStorageCursor<T> {
    const cursor = this.sql.exec<T>(query, ...bindings);
    // Write statements run to completion in exec, so the count is final here.
    this.rowsWritten += cursor.rowsWritten;
    return cursor;
  }
}
