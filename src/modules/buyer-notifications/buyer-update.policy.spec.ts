import { HANDED_OVER_EVENT, RequestStatus } from '../requests/request.types';
import { BuyerChange, buyerChanges, buyerMailAt, headlineChange, PublicEvent, statusTold, subjectChanges } from './buyer-update.policy';

let id = 0;
function event(fields: Partial<PublicEvent>): PublicEvent {
  return { id: String(++id), type: 'status_changed', fromStatus: null, toStatus: null, actorType: 'staff', reason: null, ...fields };
}

describe('buyer update: what the buyer is told', () => {
  it.each([
    ['a precision asked', [event({ fromStatus: 'in_progress', toStatus: 'awaiting_buyer' })], ['question']],
    ['an answer', [event({ fromStatus: 'in_progress', toStatus: 'answered' })], ['answer']],
    ['a closure by the system', [event({ fromStatus: 'answered', toStatus: 'closed', actorType: 'system' })], ['closed']],
    ['a reopening by staff', [event({ fromStatus: 'closed', toStatus: 'in_progress' })], ['reopened']],
    [
      'a reopening after its facilitator left, then routing: one reopening',
      [
        event({ type: 'reopened', fromStatus: 'closed', toStatus: 'submitted' }),
        event({ type: 'assigned', fromStatus: 'submitted', toStatus: 'assigned', actorType: 'system' }),
      ],
      ['reopened'],
    ],
    ['a transfer', [event({ type: 'transferred', fromStatus: 'in_progress', toStatus: 'submitted' })], ['transferred']],
    [
      'a hand-over to another facilitator',
      [event({ type: HANDED_OVER_EVENT, fromStatus: 'in_progress', toStatus: 'assigned' })],
      ['transferred'],
    ],
    [
      'a transfer told twice (kind, then facilitator): once',
      [
        event({ type: HANDED_OVER_EVENT, fromStatus: 'in_progress', toStatus: 'submitted' }),
        event({ type: HANDED_OVER_EVENT, fromStatus: 'assigned', toStatus: 'assigned' }),
      ],
      ['transferred'],
    ],
    ['the buyer’s own reply', [event({ fromStatus: 'answered', toStatus: 'in_progress', actorType: 'buyer' })], []],
    [
      'a precision asked, given by the buyer, then the answer, in one e-mail: the answer alone',
      [
        event({ fromStatus: 'in_progress', toStatus: 'awaiting_buyer' }),
        event({ type: 'buyer_clarified', fromStatus: 'awaiting_buyer', toStatus: 'in_progress', actorType: 'buyer' }),
        event({ fromStatus: 'in_progress', toStatus: 'answered' }),
      ],
      ['answer'],
    ],
    [
      'a precision given, then a second one asked: the second',
      [
        event({ fromStatus: 'in_progress', toStatus: 'awaiting_buyer' }),
        event({ type: 'buyer_clarified', fromStatus: 'awaiting_buyer', toStatus: 'in_progress', actorType: 'buyer' }),
        event({ fromStatus: 'in_progress', toStatus: 'awaiting_buyer' }),
      ],
      ['question'],
    ],
    ['a split, told by its own e-mail', [event({ type: 'split', fromStatus: 'in_progress', toStatus: 'in_progress' })], []],
    ['a request created by a split, listed in that e-mail', [event({ type: 'split_from', fromStatus: null, toStatus: 'submitted' })], []],
    [
      'routing, then taking in charge',
      [event({ type: 'assigned', toStatus: 'assigned', actorType: 'system' }), event({ type: 'taken_in_charge', toStatus: 'in_progress' })],
      ['taken'],
    ],
    [
      'taken in charge then answered in the same e-mail: the answer alone',
      [event({ type: 'taken_in_charge', toStatus: 'in_progress' }), event({ fromStatus: 'in_progress', toStatus: 'answered' })],
      ['answer'],
    ],
    [
      'taken in charge then a precision asked: the question alone',
      [event({ type: 'taken_in_charge', toStatus: 'in_progress' }), event({ fromStatus: 'in_progress', toStatus: 'awaiting_buyer' })],
      ['question'],
    ],
    [
      'taken in charge then handed over to another facilitator: the hand-over alone',
      [
        event({ type: 'taken_in_charge', toStatus: 'in_progress' }),
        event({ type: HANDED_OVER_EVENT, fromStatus: 'in_progress', toStatus: 'assigned' }),
      ],
      ['transferred'],
    ],
    [
      'a hand-over, then the new facilitator takes it in charge: both',
      [
        event({ type: HANDED_OVER_EVENT, fromStatus: 'in_progress', toStatus: 'assigned' }),
        event({ type: 'taken_in_charge', fromStatus: 'assigned', toStatus: 'in_progress' }),
      ],
      ['transferred', 'taken'],
    ],
    [
      'question, precision, answer and closure: each once, in order',
      [
        event({ fromStatus: 'in_progress', toStatus: 'awaiting_buyer' }),
        event({ fromStatus: 'awaiting_buyer', toStatus: 'in_progress', actorType: 'buyer' }),
        event({ fromStatus: 'in_progress', toStatus: 'awaiting_buyer' }),
        event({ fromStatus: 'in_progress', toStatus: 'answered' }),
        event({ fromStatus: 'answered', toStatus: 'closed' }),
      ],
      ['question', 'answer', 'closed'],
    ],
    [
      'answered, closed and reopened by mistake within the delay: the answer alone',
      [
        event({ fromStatus: 'in_progress', toStatus: 'answered' }),
        event({ fromStatus: 'answered', toStatus: 'closed' }),
        event({ type: 'reopened', fromStatus: 'closed', toStatus: 'in_progress' }),
      ],
      ['answer'],
    ],
    [
      'closed, then reopened to another facilitator: the reopening, which names no closure',
      [
        event({ fromStatus: 'answered', toStatus: 'closed', actorType: 'system' }),
        event({ type: 'reopened', fromStatus: 'closed', toStatus: 'submitted' }),
      ],
      ['reopened'],
    ],
    [
      'staff reassigning, or taking from the pool',
      [event({ type: 'reassigned', toStatus: 'assigned' }), event({ type: 'taken_from_pool', toStatus: 'assigned' })],
      [],
    ],
  ] as const)('%s', (_label, events, kinds) => {
    expect(buyerChanges(events).map((c) => c.kind)).toEqual(kinds);
  });

  it('says whether a reopened request goes back to its facilitator or to another one', () => {
    expect(buyerChanges([event({ type: 'reopened', fromStatus: 'closed', toStatus: 'in_progress' })])).toEqual([
      { kind: 'reopened', rerouted: false },
    ]);
    expect(buyerChanges([event({ type: 'reopened', fromStatus: 'closed', toStatus: 'submitted' })])).toEqual([
      { kind: 'reopened', rerouted: true },
    ]);
  });

  it('says whether a closure came with the end of the buyer’s window or from a person', () => {
    expect(buyerChanges([event({ fromStatus: 'answered', toStatus: 'closed', actorType: 'system' })])).toEqual([
      { kind: 'closed', automatic: true },
    ]);
    expect(buyerChanges([event({ fromStatus: 'answered', toStatus: 'closed' })])).toEqual([{ kind: 'closed', automatic: false }]);
  });

  it('counts the answers of one e-mail, and says when the first completes one the buyer already read', () => {
    const answer = event({ fromStatus: 'in_progress', toStatus: 'answered' });
    const complement = event({ fromStatus: 'answered', toStatus: 'answered' });
    expect(buyerChanges([answer])).toEqual([{ kind: 'answer', count: 1, complement: false }]);
    expect(buyerChanges([answer, complement])).toEqual([{ kind: 'answer', count: 2, complement: false }]);
    expect(buyerChanges([complement])).toEqual([{ kind: 'answer', count: 1, complement: true }]);
    expect(buyerChanges([complement, complement])).toEqual([{ kind: 'answer', count: 2, complement: true }]);
  });

  it('keeps the reason written for the buyer of a hand-over', () => {
    const reason = 'Votre demande est transmise à un facilitateur « Clauses sociales ».';
    expect(buyerChanges([event({ type: HANDED_OVER_EVENT, fromStatus: 'in_progress', toStatus: 'submitted', reason })])).toEqual([
      { kind: 'transferred', reason, waiting: false },
    ]);
    expect(buyerChanges([event({ type: HANDED_OVER_EVENT, fromStatus: 'in_progress', toStatus: 'unassigned', reason })])).toEqual([
      { kind: 'transferred', reason, waiting: true },
    ]);
  });
});

describe('headlineChange: what the e-mail’s subject names', () => {
  const of = (...kinds: Array<BuyerChange['kind']>) => kinds.map((kind) => ({ kind }) as BuyerChange);
  it.each<[string, BuyerChange[], BuyerChange['kind']]>([
    ['an answer before its closure', of('answer', 'closed'), 'answer'],
    ['a question before a hand-over', of('question', 'transferred'), 'question'],
    ['a question the closure that followed made moot', of('question', 'closed'), 'closed'],
    ['an answer after a question', of('question', 'answer'), 'answer'],
    ['otherwise the last change', of('taken', 'transferred'), 'transferred'],
    ['a single change', of('closed'), 'closed'],
  ])('%s', (_label, changes, expected) => {
    expect(headlineChange(changes).kind).toBe(expected);
  });
});

describe('subjectChanges: all the news the e-mail’s subject names', () => {
  const of = (...kinds: Array<BuyerChange['kind']>) => kinds.map((kind) => ({ kind }) as BuyerChange);
  it.each<[string, BuyerChange[], Array<BuyerChange['kind']>]>([
    ['an answer and its closure: both, the answer first', of('answer', 'closed'), ['answer', 'closed']],
    ['taken, answered and closed at once: the answer and the closure', of('taken', 'answer', 'closed'), ['answer', 'closed']],
    ['a closure alone', of('closed'), ['closed']],
    ['a question the closure made moot: the closure only', of('question', 'closed'), ['closed']],
    ['an answer alone', of('answer'), ['answer']],
    ['a question before a hand-over: the question only', of('question', 'transferred'), ['question']],
    ['an answer, a closure undone by a reopening: no closure said', of('answer', 'closed', 'reopened'), ['answer']],
  ])('%s', (_label, changes, expected) => {
    expect(subjectChanges(changes).map((change) => change.kind)).toEqual(expected);
  });
});

describe('buyerMailAt: when the e-mail may leave', () => {
  const closedByWindow: BuyerChange = { kind: 'closed', automatic: true };
  const answer: BuyerChange = { kind: 'answer', count: 1, complement: false };
  // Friday 6 June 2025; Monday 9 June is Whit Monday, off in Paris and on La Réunion alike.
  it.each<[string, BuyerChange[], string, string, string]>([
    [
      'a closure by the window on Friday 22:40 in Paris: Tuesday 09:00',
      [closedByWindow],
      '2025-06-06T20:40:00Z',
      '38',
      '2025-06-10T07:00:00.000Z',
    ],
    [
      'a closure by the window at 17:01 in Paris: Tuesday 09:00',
      [answer, closedByWindow],
      '2025-06-06T15:01:00Z',
      '38',
      '2025-06-10T07:00:00.000Z',
    ],
    ['a closure by the window at 10:00 in Paris: at once', [closedByWindow], '2025-06-06T08:00:00Z', '38', '2025-06-06T08:00:00.000Z'],
    ['a closure by the window at 07:30 in Paris: 09:00', [closedByWindow], '2025-06-05T05:30:00Z', '38', '2025-06-05T07:00:00.000Z'],
    [
      'a closure by a person at 22:40: at once',
      [{ kind: 'closed', automatic: false }],
      '2025-06-06T20:40:00Z',
      '38',
      '2025-06-06T20:40:00.000Z',
    ],
    ['an answer at 22:40: at once', [answer], '2025-06-06T20:40:00Z', '38', '2025-06-06T20:40:00.000Z'],
    [
      'a closure by the window at 15:00 Paris, 17:00 on La Réunion: Tuesday 09:00 there',
      [closedByWindow],
      '2025-06-06T13:00:00Z',
      '974',
      '2025-06-10T05:00:00.000Z',
    ],
    [
      'a closure by the window at 08:00 Paris, 10:00 on La Réunion: at once',
      [closedByWindow],
      '2025-06-06T06:00:00Z',
      '974',
      '2025-06-06T06:00:00.000Z',
    ],
  ])('%s', (_label, changes, at, department, expected) => {
    expect(buyerMailAt(changes, new Date(at), department).toISOString()).toBe(expected);
  });
});

describe('statusTold: whether the news already says the current status', () => {
  it.each<[string, BuyerChange[], RequestStatus, boolean]>([
    ['a closure, closed', [{ kind: 'closed', automatic: false }], 'closed', true],
    [
      'an answer then a closure, closed',
      [
        { kind: 'answer', count: 1, complement: false },
        { kind: 'closed', automatic: true },
      ],
      'closed',
      true,
    ],
    ['a precision asked, awaiting it', [{ kind: 'question' }], 'awaiting_buyer', true],
    ['an answer, answered', [{ kind: 'answer', count: 1, complement: true }], 'answered', true],
    ['a hand-over, the precision still awaited', [{ kind: 'transferred', reason: null, waiting: false }], 'awaiting_buyer', false],
    ['a taking in charge', [{ kind: 'taken' }], 'in_progress', false],
    ['a reopening', [{ kind: 'reopened', rerouted: false }], 'in_progress', false],
  ])('%s', (_label, changes, status, expected) => {
    expect(statusTold(changes, status)).toBe(expected);
  });
});
