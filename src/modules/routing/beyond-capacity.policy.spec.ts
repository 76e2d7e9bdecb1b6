import { BeyondCapacity, beyondCapacityQuestion, ChosenVerdict, chosenVerdict } from './beyond-capacity.policy';
import { IneligibilityReason } from './ranking.policy';

describe('chosenVerdict', () => {
  it.each<[IneligibilityReason | null, BeyondCapacity, ChosenVerdict]>([
    [null, 'refused', { give: true, beyondCapacity: false }],
    [null, 'ask', { give: true, beyondCapacity: false }],
    // Confirmed, yet a place was freed meanwhile: given within capacity, and said so.
    [null, 'confirmed', { give: true, beyondCapacity: false }],
    // A facilitator's own choice (the pool, a colleague) never goes past capacity.
    ['full', 'refused', { refused: 'full' }],
    ['full', 'ask', { ask: true }],
    ['full', 'confirmed', { give: true, beyondCapacity: true }],
    // Nothing else gives way to a confirmation.
    ['absent', 'confirmed', { refused: 'absent' }],
    ['inactive', 'confirmed', { refused: 'inactive' }],
    ['kind', 'confirmed', { refused: 'kind' }],
    ['territory', 'confirmed', { refused: 'territory' }],
    ['excluded', 'confirmed', { refused: 'excluded' }],
    ['absent', 'ask', { refused: 'absent' }],
  ])('%s, %s: %j', (reason, beyondCapacity, expected) => {
    expect(chosenVerdict(reason, beyondCapacity)).toEqual(expected);
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
