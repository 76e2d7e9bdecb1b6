import { buyerChanges, PublicEvent } from './buyer-update.policy';

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
    ['a transfer', [event({ type: 'transferred', fromStatus: 'in_progress', toStatus: 'submitted' })], ['transferred']],
    ['the buyer’s own reply', [event({ fromStatus: 'answered', toStatus: 'in_progress', actorType: 'buyer' })], []],
    [
      'routing and taking in charge',
      [event({ type: 'assigned', toStatus: 'assigned', actorType: 'system' }), event({ type: 'taken_in_charge', toStatus: 'in_progress' })],
      [],
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
    ['a split note', [event({ type: 'split', fromStatus: 'in_progress', toStatus: 'in_progress', reason: 'Scindée' })], ['other']],
  ] as const)('%s', (_label, events, kinds) => {
    expect(buyerChanges(events).map((c) => c.kind)).toEqual(kinds);
  });
});
