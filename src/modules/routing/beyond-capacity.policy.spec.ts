import { BeyondCapacity, beyondCapacityQuestion, ChosenVerdict, chosenVerdict } from './beyond-capacity.policy';
import { IneligibilityReason } from './ranking.policy';

describe('chosenVerdict', () => {
  const confirmedAt3 = { confirmed: 3 };
  it.each<[IneligibilityReason | null, BeyondCapacity, number, ChosenVerdict]>([
    [null, 'refused', 0, { give: true, beyondCapacity: false }],
    [null, 'ask', 0, { give: true, beyondCapacity: false }],
    // Confirmed, yet a place was freed meanwhile: given within capacity, and said so.
    [null, confirmedAt3, 2, { give: true, beyondCapacity: false }],
    // A facilitator's own choice (the pool, a colleague) never goes past capacity.
    ['full', 'refused', 3, { refused: 'full' }],
    ['full', 'ask', 3, { ask: true }],
    // Confirmed at « 3 demandes pour une capacité de 3 »: given at 3, or fewer; asked again at 5.
    ['full', confirmedAt3, 3, { give: true, beyondCapacity: true }],
    ['full', confirmedAt3, 2, { give: true, beyondCapacity: true }],
    ['full', confirmedAt3, 4, { ask: true }],
    ['full', confirmedAt3, 5, { ask: true }],
    // Confirmed without a load (an API client that does not say): whatever it is.
    ['full', { confirmed: null }, 5, { give: true, beyondCapacity: true }],
    // Nothing else gives way to a confirmation.
    ['absent', confirmedAt3, 3, { refused: 'absent' }],
    ['inactive', confirmedAt3, 3, { refused: 'inactive' }],
    ['kind', { confirmed: null }, 0, { refused: 'kind' }],
    ['territory', confirmedAt3, 3, { refused: 'territory' }],
    ['excluded', confirmedAt3, 3, { refused: 'excluded' }],
    ['absent', 'ask', 3, { refused: 'absent' }],
  ])('%s, %j, %i open: %j', (reason, beyondCapacity, openCount, expected) => {
    expect(chosenVerdict(reason, beyondCapacity, openCount)).toEqual(expected);
  });
});

describe('beyondCapacityQuestion', () => {
  it.each<[number, number, string]>([
    [3, 3, 'Bérénice Martin a déjà 3 demandes pour une capacité de 3. La lui confier quand même ?'],
    [1, 1, 'Bérénice Martin a déjà 1 demande pour une capacité de 1. La lui confier quand même ?'],
    [4, 3, 'Bérénice Martin a déjà 4 demandes pour une capacité de 3. La lui confier quand même ?'],
    [0, 0, 'Bérénice Martin n’a aucune demande pour une capacité de 0. La lui confier quand même ?'],
  ])('%i open, capacity %i', (openCount, capacity, expected) => {
    expect(beyondCapacityQuestion('Bérénice Martin', openCount, capacity)).toBe(expected);
  });
});
