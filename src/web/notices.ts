/** The confirmation a redirect's `?fait=` names: only the page's own keys (`?fait=constructor` is no notice). */
export function noticeOf<T>(notices: Readonly<Record<string, T>>, done: unknown): T | undefined {
  return typeof done === 'string' && Object.hasOwn(notices, done) ? notices[done] : undefined;
}
