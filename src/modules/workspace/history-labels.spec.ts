import { assignmentEndLabel, historyEventLabel, referenceParts } from './history-labels';

describe('historyEventLabel', () => {
  it.each([
    ['assigned', null, 'Attribuée'],
    ['assigned', 'Alix Test', 'Attribuée à Alix Test'],
    ['reassigned', 'Dominique Test', 'Réaffectée à Dominique Test'],
    ['reassigned', null, 'Réaffectée'],
    // Taking from the pool: the taker is already named as the one who acted.
    ['taken_from_pool', 'Alix Test', 'Prise dans la réserve'],
    ['answered', null, 'Réponse envoyée'],
    ['answer_completed', null, 'Complément à la réponse envoyé'],
    ['unknown_event', null, 'unknown_event'],
  ])('%s given to %s reads « %s »', (type, assigneeName, expected) => {
    expect(historyEventLabel(type, assigneeName)).toBe(expected);
  });
});

describe('assignmentEndLabel', () => {
  const taken = new Date('2026-12-01T09:00:00Z');
  it.each([
    ['declined before taking it in charge', { endReason: 'declined' as const, takenAt: null }, 'A décliné'],
    ['declined once taken in charge: given back', { endReason: 'declined' as const, takenAt: taken }, 'A rendu la demande'],
    ['finished', { endReason: 'finished' as const, takenAt: taken }, 'Clôturée'],
    ['still held', { endReason: null, takenAt: taken }, null],
  ])('%s', (_label, assignment, expected) => {
    expect(assignmentEndLabel(assignment)).toBe(expected);
  });
});

describe('referenceParts', () => {
  it.each([
    ['', []],
    ['Congés', [{ text: 'Congés', reference: false }]],
    [
      'Scindée en GV-2026-000058, GV-2026-000059',
      [
        { text: 'Scindée en ', reference: false },
        { text: 'GV-2026-000058', reference: true },
        { text: ', ', reference: false },
        { text: 'GV-2026-000059', reference: true },
      ],
    ],
    ['GV-2026-000058', [{ text: 'GV-2026-000058', reference: true }]],
    ['GV-26-58 n’en est pas une', [{ text: 'GV-26-58 n’en est pas une', reference: false }]],
  ])('%j', (text, parts) => {
    expect(referenceParts(text)).toEqual(parts);
  });
});
