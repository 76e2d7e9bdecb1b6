/**
 * Results kept by key for a while, as promises: callers arriving together share one computation, a failed one is
 * dropped so that the next caller tries again, and expired keys are swept on each miss.
 */
export class PromiseCache<T> {
  private readonly entries = new Map<string, { until: number; value: Promise<T> }>();

  get(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.until > now) return cached.value;
    for (const [old, entry] of this.entries) if (entry.until <= now) this.entries.delete(old);
    const entry = { until: now + ttlMs, value: load() };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }
}
