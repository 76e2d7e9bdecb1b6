import { historyEventLabel } from './history-labels';

describe('historyEventLabel', () => {
  it.each([
    ['assigned', null, 'Attribuée'],
    ['assigned', 'Alix Test', 'Attribuée à Alix Test'],
    ['reassigned', 'Dominique Test', 'Réaffectée à Dominique Test'],
    ['reassigned', null, 'Réaffectée'],
    // Taking from the pool: the taker is already named as the one who acted.
    ['taken_from_pool', 'Alix Test', 'Prise dans la réserve'],
    ['answered', null, 'Réponse envoyée'],
    ['unknown_event', null, 'unknown_event'],
  ])('%s given to %s reads « %s »', (type, assigneeName, expected) => {
    expect(historyEventLabel(type, assigneeName)).toBe(expected);
  });
});
