import { ActionRefused, AppError, ValidationFailed } from '../../common/errors/app-errors';
import {
  ChangedMeanwhile,
  changedMeanwhile,
  changedOutOfSight,
  Change,
  Move,
  refusalOnPage,
  refusedOnPage,
  RequestState,
  SeenState,
  seenStateOf,
  seenStateToken,
  Sender,
  StateNow,
  takenFromThem,
  Trail,
  UnreadableSeenState,
} from './seen-state.policy';

const ALEX = '11111111-1111-4111-8111-111111111111';
const DOMINIQUE = '22222222-2222-4222-8222-222222222222';
const seen: RequestState = { status: 'assigned', kind: 'environmental', holderId: ALEX, holdings: 2 };

const change = (type: string, actorName: string | null = 'Béa Klein', assigneeName: string | null = null): Change => ({
  type,
  actorName,
  assigneeName,
});
const now = (state: Partial<StateNow>): StateNow => ({
  ...seen,
  holderName: 'Alex Test',
  seenHolderName: 'Alex Test',
  lastChanges: [],
  ...state,
});

describe('seen state', () => {
  it.each([
    [{ status: 'assigned', kind: 'environmental', holderId: ALEX, holdings: 2 }, `assigned:environmental:${ALEX}:2`],
    [{ status: 'unassigned', kind: 'social_clause', holderId: null, holdings: 0 }, 'unassigned:social_clause::0'],
  ] as const)('reads back the token it writes: %j', (state, token) => {
    expect(seenStateToken(state)).toBe(token);
    expect(seenStateOf(token)).toEqual(state);
  });

  // Pages rendered before tokens said the holdings, still open: read, holdings unknown (checked without them).
  it.each([
    [`assigned:environmental:${ALEX}`, { status: 'assigned', kind: 'environmental', holderId: ALEX, holdings: null }],
    ['unassigned:social_clause:', { status: 'unassigned', kind: 'social_clause', holderId: null, holdings: null }],
  ])('reads a token without holdings: %s', (token, state) => {
    expect(seenStateOf(token)).toEqual(state);
  });

  it('asks for no check when left out: API clients that never sent it', () => {
    expect(seenStateOf(undefined)).toBeNull();
  });

  it.each([
    // Empty or null: a client that lost what it read, not one that asks for no check (the schema says a string).
    '',
    null,
    'ouverte',
    'assigned:environmental',
    `assigned:nuclear:${ALEX}`,
    `assigned:environmental:${ALEX}:x`,
    `assigned:environmental:${ALEX}:`,
    `assigned:environmental:${ALEX}:-1`,
    `assigned:environmental:${ALEX}:1.5`,
    `assigned:environmental:${ALEX}:2:3`,
    'assigned:environmental:42',
    42,
  ])('refuses an unreadable state (%j) on its field', (value) => {
    try {
      seenStateOf(value);
      throw new Error('should have refused');
    } catch (error) {
      expect((error as AppError).errors).toEqual([{ field: 'seenState', message: expect.stringContaining('seenState') }]);
    }
  });

  // What changed, who did it (the latest change, after the person's that routing followed), and what the request is now.
  it.each([
    ['nothing changed', now({ lastChanges: [change('internal_note')] }), null],
    [
      'answered',
      now({ status: 'answered', lastChanges: [change('answered', 'Alex Test')] }),
      'Entre-temps, Alex Test a envoyé la réponse à l’acheteur : rien n’a été enregistré. Elle est maintenant « Réponse envoyée » (et non plus « Confiée à un facilitateur »).',
    ],
    [
      'transferred, then routed',
      now({
        status: 'assigned',
        kind: 'social_clause',
        holderId: DOMINIQUE,
        holderName: 'Claude Test',
        lastChanges: [change('assigned', null, 'Claude Test'), change('transferred')],
      }),
      'Entre-temps, Béa Klein a transféré cette demande vers « Clauses sociales », puis l’attribution automatique l’a confiée à Claude Test : rien n’a été enregistré. Elle est maintenant du domaine « Clauses sociales », confiée à Claude Test (et non plus à Alex Test).',
    ],
    [
      'transferred, not routed yet',
      now({ status: 'submitted', kind: 'social_clause', holderId: null, holderName: null, lastChanges: [change('transferred')] }),
      'Entre-temps, Béa Klein a transféré cette demande vers « Clauses sociales » : rien n’a été enregistré. Elle est maintenant « Reçue » (et non plus « Confiée à un facilitateur »), du domaine « Clauses sociales », sans facilitateur (et non plus confiée à Alex Test).',
    ],
    [
      'reassigned',
      now({ holderId: DOMINIQUE, holderName: 'Dominique Test', lastChanges: [change('reassigned', 'Annie Roux', 'Dominique Test')] }),
      'Entre-temps, Annie Roux a confié cette demande à Dominique Test : rien n’a été enregistré. Elle est maintenant confiée à Dominique Test (et non plus à Alex Test).',
    ],
    [
      'a history that says nothing of it',
      now({ holderId: DOMINIQUE, holderName: 'Dominique Test', seenHolderName: null }),
      'Entre-temps, la demande a changé : rien n’a été enregistré. Elle est maintenant confiée à Dominique Test (et non plus à la personne que vous aviez vue).',
    ],
    [
      'rerouted, then routed: routing named once',
      now({
        holderId: DOMINIQUE,
        holderName: 'Dominique Test',
        lastChanges: [change('assigned', null, 'Dominique Test'), change('rerouted', 'Annie Roux')],
      }),
      'Entre-temps, Annie Roux a remis cette demande en attribution automatique, qui l’a confiée à Dominique Test : rien n’a été enregistré. Elle est maintenant confiée à Dominique Test (et non plus à Alex Test).',
    ],
    [
      'its deadline missed, then pooled: one outcome, said once',
      now({
        status: 'unassigned',
        holderId: null,
        holderName: null,
        lastChanges: [change('unassigned', null), change('deadline_missed', null)],
      }),
      'Entre-temps, son délai de prise en charge est passé, puis elle est passée dans la réserve du réseau : rien n’a été enregistré. Elle est maintenant « En attente d’un facilitateur disponible » (et non plus « Confiée à un facilitateur »), sans facilitateur (et non plus confiée à Alex Test).',
    ],
  ] as const)('%s', (_case, state, message) => {
    const said = changedMeanwhile(seen, state);
    if (message === null) expect(said).toBeNull();
    else expect(said).toBe(message);
  });

  // Back as it was, after holdings the form's writer did not see: still a change, said as such (« de nouveau »).
  it.each([
    [
      'taken from the pool, declined back to it',
      { status: 'unassigned', kind: 'environmental', holderId: null, holdings: 1 },
      now({
        status: 'unassigned',
        holderId: null,
        holderName: null,
        seenHolderName: null,
        holdings: 2,
        lastChanges: [change('unassigned', null), change('declined', 'Alex Test')],
      }),
      'Entre-temps, Alex Test a décliné cette demande, puis elle est passée dans la réserve du réseau : rien n’a été enregistré. Elle est maintenant de nouveau sans facilitateur.',
    ],
    [
      'given to a colleague, then back to whom they saw',
      seen,
      now({ holdings: 4, lastChanges: [change('reassigned', 'Annie Roux', 'Alex Test'), change('reassigned', 'Annie Roux', 'Béa Klein')] }),
      'Entre-temps, Annie Roux a confié cette demande à Alex Test : rien n’a été enregistré. Elle est maintenant de nouveau confiée à Alex Test.',
    ],
    [
      'back to whom they saw, no longer taken in charge',
      { ...seen, status: 'in_progress' },
      now({ holdings: 4, lastChanges: [change('reassigned', 'Annie Roux', 'Alex Test')] }),
      'Entre-temps, Annie Roux a confié cette demande à Alex Test : rien n’a été enregistré. Elle est maintenant « Confiée à un facilitateur » (et non plus « En cours de traitement »), de nouveau confiée à Alex Test.',
    ],
    [
      'given to a colleague: the holder said, not « de nouveau »',
      seen,
      now({
        holderId: DOMINIQUE,
        holderName: 'Dominique Test',
        holdings: 3,
        lastChanges: [change('reassigned', 'Annie Roux', 'Dominique Test')],
      }),
      'Entre-temps, Annie Roux a confié cette demande à Dominique Test : rien n’a été enregistré. Elle est maintenant confiée à Dominique Test (et non plus à Alex Test).',
    ],
    ['a token from before holdings were said: checked as before', { ...seen, holdings: null }, now({ holdings: 4 }), null],
  ] as const)('%s', (_case, seenAs, state, message) => {
    expect(changedMeanwhile(seenAs, state)).toBe(message);
  });

  it('refuses with a code of its own, giving the state now to retry from', () => {
    const error = new ChangedMeanwhile('Entre-temps…', { ...seen, status: 'answered' });
    expect([error.status, error.code, error.extra.seenState]).toEqual([409, 'changed_meanwhile', `answered:environmental:${ALEX}:2`]);
  });

  // The API's 409 message has no page under it: only the pages point to the request shown below.
  it('sends pages, not API clients, to re-read the request below', () => {
    const message = changedMeanwhile(seen, now({ status: 'answered' }))!;
    expect(message).not.toContain('ci-dessous');
    expect(refusalOnPage(new ChangedMeanwhile(message, { ...seen, status: 'answered' }))).toBe(
      `${message} Relisez-la ci-dessous, puis recommencez si c’est toujours utile.`,
    );
    expect(refusalOnPage(new ActionRefused('Ce facilitateur ne traite pas ce type de demande.'))).toBe(
      'Ce facilitateur ne traite pas ce type de demande.',
    );
  });

  // A page's hidden state unreadable: nothing to correct in the form, only the page's age, said above the request.
  it.each([
    ['a move refused', new ActionRefused('Déjà prise en charge.'), true, 'Déjà prise en charge.'],
    [
      'a change meanwhile',
      new ChangedMeanwhile('Entre-temps…'),
      true,
      'Entre-temps… Relisez-la ci-dessous, puis recommencez si c’est toujours utile.',
    ],
    [
      'an unreadable seen state',
      new UnreadableSeenState(),
      true,
      'Votre page était trop ancienne : rien n’a été enregistré. La voici rechargée ci-dessous : recommencez si c’est toujours utile.',
    ],
    [
      'a field error',
      new ValidationFailed([{ field: 'reason', message: 'Choisissez un motif.' }]),
      false,
      'La demande contient des erreurs.',
    ],
  ])('says %s above the request (%#)', (_what, error, above, said) => {
    expect([refusedOnPage(error), refusalOnPage(error)]).toEqual([above, said]);
  });

  it('keeps its field error for API clients when the seen state is unreadable', () => {
    const error = new UnreadableSeenState();
    expect([error.status, error.code, error.message]).toEqual([400, 'validation_failed', 'La demande contient des erreurs.']);
  });

  it('gives no state now to one who no longer sees the request: sent back, it would meet a 404', () => {
    const error = new ChangedMeanwhile('Entre-temps…');
    expect([error.status, error.code, error.extra.seenState]).toEqual([409, 'changed_meanwhile', undefined]);
  });
});

describe('a state sent by a facilitator who no longer sees the request', () => {
  const CLAUDE = '33333333-3333-4333-8333-333333333333';
  const T = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute));
  const move = (type: string, fromStatus: Move['fromStatus'], minute: number, actorName: string | null = 'Annie Roux'): Move => ({
    type,
    actorName,
    assigneeName: 'Dominique Test',
    fromStatus,
    at: T(minute),
  });
  const alex: Sender = { facilitatorId: ALEX, networkCodes: ['aura-ee'], since: T(0) };
  const trail = (lastChanges: Move[], rest: Partial<Trail> = {}): Trail => ({
    kind: 'environmental',
    networkCode: 'aura-ee',
    lastChanges,
    lastHolderId: ALEX,
    ...rest,
  });
  const held = (status: SeenState['status'], kind: SeenState['kind'] = 'environmental'): SeenState => ({
    status,
    kind,
    holderId: ALEX,
    holdings: 1,
  });
  const pool = (kind: SeenState['kind'] = 'environmental'): SeenState => ({ status: 'unassigned', kind, holderId: null, holdings: 1 });
  const REASSIGNED =
    'Entre-temps, Annie Roux a confié cette demande à un autre facilitateur : rien n’a été enregistré. Elle ne vous est plus confiée.';

  // Told only the latest change and who made it, never where the request is now; anything short of exactness: null (404).
  it.each([
    [
      'its holder, the latest change taking it from them',
      held('in_progress'),
      alex,
      trail([move('reassigned', 'in_progress', 5)]),
      REASSIGNED,
    ],
    [
      'its holder, a transfer routed since: the new holder left out',
      held('assigned'),
      alex,
      trail([move('assigned', 'submitted', 6, null), move('transferred', 'assigned', 5)], { kind: 'social_clause' }),
      'Entre-temps, Annie Roux a transféré cette demande vers « Clauses sociales » : rien n’a été enregistré. Elle ne vous est plus confiée.',
    ],
    [
      'its holder, sending another status than the one it left',
      held('assigned'),
      alex,
      trail([move('reassigned', 'in_progress', 5)]),
      null,
    ],
    ['its holder, sending another kind', held('in_progress', 'social_clause'), alex, trail([move('reassigned', 'in_progress', 5)]), null],
    [
      'a holder before the latest holder: reassigned twice',
      held('in_progress'),
      alex,
      trail([move('reassigned', 'assigned', 9), move('reassigned', 'in_progress', 5)], { lastHolderId: DOMINIQUE }),
      null,
    ],
    [
      'its holder, more done since the change that took it',
      held('in_progress'),
      alex,
      trail([move('taken_in_charge', 'assigned', 9, 'Dominique Test'), move('reassigned', 'in_progress', 5)]),
      null,
    ],
    ['one whose holding ended long ago, claiming a pool', pool(), alex, trail([move('taken_from_pool', 'in_progress', 5)]), null],
    [
      'another facilitator claiming to hold it',
      { ...held('in_progress'), holderId: CLAUDE },
      alex,
      trail([move('reassigned', 'in_progress', 5)]),
      null,
    ],
    [
      'a holder claimed on a move from the pool (no holder then)',
      held('unassigned'),
      alex,
      trail([move('reassigned', 'unassigned', 5)]),
      null,
    ],
    [
      'a network change keeps a holder who took it: not a taking',
      held('in_progress'),
      alex,
      trail([move('network_changed', 'in_progress', 5, null)]),
      null,
    ],
    [
      'in the pool, taken from it by the latest change: not by whom, who holds it now',
      pool(),
      alex,
      trail([move('taken_from_pool', 'unassigned', 5, 'Claude Test')], { lastHolderId: null }),
      'Entre-temps, un autre facilitateur a pris cette demande dans la réserve : rien n’a été enregistré. Elle n’est plus dans la réserve du réseau.',
    ],
    [
      'in the pool, closed from it by the latest change: the closure is that change, its author holds nothing',
      pool(),
      alex,
      trail([move('closed', 'unassigned', 5, 'Sacha Martin')], { lastHolderId: null }),
      'Entre-temps, Sacha Martin a clôturé cette demande : rien n’a été enregistré. Elle n’est plus dans la réserve du réseau.',
    ],
    [
      'in the pool, left it before more happened',
      pool(),
      alex,
      trail([move('taken_in_charge', 'assigned', 9, 'Claude Test'), move('taken_from_pool', 'unassigned', 5, 'Claude Test')]),
      null,
    ],
    [
      'in the pool, but their record is younger than the change',
      pool(),
      { ...alex, since: T(7) },
      trail([move('taken_from_pool', 'unassigned', 5, 'Claude Test')]),
      null,
    ],
    [
      'in the pool of another network',
      pool(),
      { ...alex, networkCodes: ['reseco'] },
      trail([move('taken_from_pool', 'unassigned', 5)]),
      null,
    ],
    ['the pool, when it went to another network', pool(), alex, trail([move('network_changed', 'unassigned', 5, null)]), null],
    ['no history', pool(), alex, trail([]), null],
  ] as const)('%s', (_case, sent, sender, known, message) => {
    expect(changedOutOfSight(sent, sender, known)).toBe(message);
  });

  // A former holder opening the page, nothing seen to check: the latest change only when it is the one that took it.
  it.each([
    [
      'its holder until the latest change',
      ALEX,
      trail([move('reassigned', 'in_progress', 5)]),
      'Dernier changement : Annie Roux a confié cette demande à un autre facilitateur.',
    ],
    [
      'rerouted, then routing’s follow-up: the rerouting, not whom it found',
      ALEX,
      trail([move('assigned', 'submitted', 6, null), move('rerouted', 'assigned', 5)]),
      'Dernier changement : Annie Roux a remis cette demande en attribution automatique.',
    ],
    [
      'their deadline passed: no author',
      ALEX,
      trail([move('assigned', 'submitted', 6, null), move('deadline_missed', 'assigned', 5, null)]),
      'Dernier changement : son délai de prise en charge est passé.',
    ],
    [
      'more done since',
      ALEX,
      trail([move('taken_in_charge', 'assigned', 9, 'Dominique Test'), move('reassigned', 'in_progress', 5)]),
      null,
    ],
    ['a holder before the latest one', ALEX, trail([move('reassigned', 'assigned', 9)], { lastHolderId: DOMINIQUE }), null],
    ['another facilitator', CLAUDE, trail([move('reassigned', 'in_progress', 5)]), null],
    ['a move from the pool: nobody held it then', ALEX, trail([move('reassigned', 'unassigned', 5)]), null],
    ['a network change: not a taking', ALEX, trail([move('network_changed', 'in_progress', 5, null)]), null],
    ['no history', ALEX, trail([]), null],
  ] as const)('on the page, %s', (_case, facilitatorId, known, message) => {
    expect(takenFromThem(facilitatorId, known)).toBe(message);
  });
});
