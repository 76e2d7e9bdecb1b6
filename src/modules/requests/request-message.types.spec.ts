import { completesAnswer, MessageKind, questionDropped } from './request-message.types';

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

describe('questionDropped: a precision asked, never given, no longer awaited', () => {
  const of = (...kinds: MessageKind[]) => kinds.map((kind) => ({ kind }));
  it.each<[string, MessageKind[], number, boolean, boolean]>([
    ['still awaited', ['clarification_question'], 0, true, false],
    ['transferred meanwhile, never given', ['clarification_question'], 0, false, true],
    ['an internal note after it is no answer', ['clarification_question', 'internal_note'], 0, false, true],
    ['given by the buyer', ['clarification_question', 'buyer_clarification', 'answer'], 0, false, false],
    ['followed by the buyer’s information', ['clarification_question', 'buyer_information'], 0, false, false],
    ['answered without it', ['clarification_question', 'answer'], 0, false, true],
    ['not a question', ['answer'], 0, false, false],
  ])('%s', (_label, kinds, index, awaiting, expected) => {
    expect(questionDropped(of(...kinds), index, awaiting)).toBe(expected);
  });
});
