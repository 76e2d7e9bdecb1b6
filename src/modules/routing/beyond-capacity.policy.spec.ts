import { BeyondCapacity, beyondCapacityQuestion, ChosenVerdict, chosenVerdict } from './beyond-capacity.policy';
import { IneligibilityReason } from './ranking.policy';

describe('chosenVerdict', () => {
  const confirmed3Of3: BeyondCapacity = { confirmed: { openCount: 3, capacity: 3 } };
  // An API client that said only the load it read: the load alone holds.
  const confirmedAt3: BeyondCapacity = { confirmed: { openCount: 3, capacity: null } };
  it.each<[IneligibilityReason | null, BeyondCapacity, [number, number], ChosenVerdict]>([
    [null, 'refused', [0, 3], { give: true, beyondCapacity: false }],
    [null, 'ask', [0, 3], { give: true, beyondCapacity: false }],
    // Confirmed, yet a place was freed meanwhile: given within capacity, and said so.
    [null, confirmed3Of3, [2, 3], { give: true, beyondCapacity: false }],
    // A facilitator's own choice (the pool, a colleague) never goes past capacity.
    ['full', 'refused', [3, 3], { refused: 'full' }],
    ['full', 'ask', [3, 3], { ask: true }],
    // Confirmed at « 3 demandes pour une capacité de 3 »: given at 3, or fewer; asked again at 4 or 5.
    ['full', confirmed3Of3, [3, 3], { give: true, beyondCapacity: true }],
    ['full', confirmed3Of3, [2, 2], { give: true, beyondCapacity: true }],
    ['full', confirmed3Of3, [4, 3], { ask: true }],
    ['full', confirmed3Of3, [5, 3], { ask: true }],
    // Its capacity lowered meanwhile: further past it at the same load, asked again; raised with the load, no further past.
    ['full', confirmed3Of3, [3, 2], { ask: true }],
    ['full', { confirmed: { openCount: 1, capacity: 1 } }, [1, 0], { ask: true }],
    ['full', confirmed3Of3, [4, 4], { give: true, beyondCapacity: true }],
    // Confirmed at 5 for 3 (two past it): given at 4 for 2, not at 5 for 2.
    ['full', { confirmed: { openCount: 5, capacity: 3 } }, [4, 2], { give: true, beyondCapacity: true }],
    ['full', { confirmed: { openCount: 5, capacity: 3 } }, [5, 2], { ask: true }],
    // The load alone: given at 3 whatever the capacity now, asked again at 4.
    ['full', confirmedAt3, [3, 1], { give: true, beyondCapacity: true }],
    ['full', confirmedAt3, [4, 3], { ask: true }],
    // Confirmed without a load (an API client that does not say): whatever it is.
    ['full', { confirmed: null }, [5, 0], { give: true, beyondCapacity: true }],
    // Nothing else gives way to a confirmation.
    ['absent', confirmed3Of3, [3, 3], { refused: 'absent' }],
    ['inactive', confirmed3Of3, [3, 3], { refused: 'inactive' }],
    ['kind', { confirmed: null }, [0, 0], { refused: 'kind' }],
    ['territory', confirmed3Of3, [3, 3], { refused: 'territory' }],
    ['excluded', confirmed3Of3, [3, 3], { refused: 'excluded' }],
    ['absent', 'ask', [3, 3], { refused: 'absent' }],
  ])('%s, %j, %j open of capacity: %j', (reason, beyondCapacity, [openCount, capacity], expected) => {
    expect(chosenVerdict(reason, beyondCapacity, { openCount, capacity })).toEqual(expected);
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
