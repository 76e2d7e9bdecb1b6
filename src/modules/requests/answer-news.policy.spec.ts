import { answerIsNews } from './answer-news.policy';

describe('answerIsNews', () => {
  const submitted = { type: 'submitted', actorType: 'buyer' };
  const taken = { type: 'taken_in_charge', actorType: 'staff' };
  const answered = { type: 'answered', actorType: 'staff' };
  const completed = { type: 'answer_completed', actorType: 'staff' };
  const replied = { type: 'buyer_replied', actorType: 'buyer' };
  const resolved = { type: 'buyer_resolved', actorType: 'buyer' };
  const closed = { type: 'closed', actorType: 'staff' };
  const autoClosed = { type: 'auto_closed', actorType: 'system' };

  it.each<[string, Array<{ type: string; actorType: string }>, boolean, boolean]>([
    ['no answer yet', [submitted, taken], false, false],
    ['an answer', [submitted, taken, answered], false, true],
    ['its complement', [submitted, taken, answered, completed], false, true],
    [
      'an answer, then the request closed by staff or at the end of the window',
      [submitted, taken, answered, closed, autoClosed],
      false,
      true,
    ],
    ['an answer the buyer replied to', [submitted, taken, answered, replied], false, false],
    ['an answer the buyer said resolved their question', [submitted, taken, answered, resolved], false, false],
    ['a new answer after the buyer’s reply', [submitted, taken, answered, replied, answered], false, true],
    ['an answer, then a precision asked', [submitted, taken, answered, replied, answered], true, false],
  ])('%s', (_, history, awaitingBuyer, expected) => {
    expect(answerIsNews(history, awaitingBuyer)).toBe(expected);
  });
});
