import { completesAnswer, MessageKind } from './request-message.types';

describe('completesAnswer: an answer right after an answer completes it', () => {
  const of = (...kinds: MessageKind[]) => kinds.map((kind) => ({ kind }));
  it.each<[string, MessageKind[], number, boolean]>([
    ['the first answer', ['clarification_question', 'buyer_clarification', 'answer'], 2, false],
    ['an answer after an answer', ['answer', 'answer'], 1, true],
    ['the same with an internal note between', ['answer', 'internal_note', 'answer'], 2, true],
    ['a new answer after the buyer replied', ['answer', 'buyer_reply', 'answer'], 2, false],
    ['a message other than an answer', ['answer', 'closing_message'], 1, false],
  ])('%s', (_label, kinds, index, expected) => {
    expect(completesAnswer(of(...kinds), index)).toBe(expected);
  });
});
