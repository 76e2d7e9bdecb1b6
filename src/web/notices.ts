/** The confirmation a redirect's `?fait=` names: only the page's own keys (`?fait=constructor` is no notice). */
export function noticeOf(notices: Readonly<Record<string, string>>, done: unknown): string | undefined {
  return typeof done === 'string' && Object.hasOwn(notices, done) ? notices[done] : undefined;
}
