/**
 * The fast sessions a worker keeps, by job id, within bounds: at most `count` of them and `bytes` of memory in all,
 * the least recently used dropped first (the newest always stays, however large). A dropped session costs nothing
 * but time: its job's next render is answered `noSession`, and the extension opens it again from the job's files.
 */
export class FastSessions<S extends { readonly bytes: number }> {
  /** In order of use, the least recent first (a Map keeps insertion order). */
  private readonly sessions = new Map<string, S>();

  constructor(private readonly limits: { readonly count: number; readonly bytes: number }) {}

  /** Keeps `session` for `jobId` (replacing one it had) and returns the jobs whose sessions made room for it. */
  keep(jobId: string, session: S): string[] {
    this.sessions.delete(jobId);
    this.sessions.set(jobId, session);
    return this.fit();
  }

  /** The job's session, now the most recently used; undefined when it was never opened or was dropped. */
  get(jobId: string): S | undefined {
    const session = this.sessions.get(jobId);
    if (session) {
      this.sessions.delete(jobId);
      this.sessions.set(jobId, session);
    }
    return session;
  }

  drop(jobId: string): void {
    this.sessions.delete(jobId);
  }

  /** Drops the least recently used sessions until the rest fit; a session grows as it renders, so this follows renders too. */
  fit(): string[] {
    const dropped: string[] = [];
    const total = () => [...this.sessions.values()].reduce((n, s) => n + s.bytes, 0);
    while (this.sessions.size > 1 && (this.sessions.size > this.limits.count || total() > this.limits.bytes)) {
      const [oldest] = this.sessions.keys();
      this.sessions.delete(oldest);
      dropped.push(oldest);
    }
    return dropped;
  }
}
