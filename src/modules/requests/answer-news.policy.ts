/** The history events that bring the buyer an answer, or its complement. */
const ANSWER_EVENTS: readonly string[] = ['answered', 'answer_completed'];

/**
 * Whether the latest answer is the buyer's latest news, pointed to at the top of their page (further down, on a phone,
 * it goes unseen): they did nothing since (no message, no « ma question est résolue », no withdrawal), and no precision
 * is asked of them (that alert comes first). `history` is the request's, oldest first.
 */
export function answerIsNews(history: ReadonlyArray<{ type: string; actorType: string }>, awaitingBuyer: boolean): boolean {
  if (awaitingBuyer) return false;
  const answeredAt = history.map((event) => ANSWER_EVENTS.includes(event.type)).lastIndexOf(true);
  return answeredAt >= 0 && !history.slice(answeredAt).some((event) => event.actorType === 'buyer');
}
