import { AppError } from '../../common/errors/app-errors';
import { allowedActions, closeReasonsFor, nextStatus, transition } from './request-state.policy';
import { CLOSE_REASONS, CloseReason, REQUEST_ACTIONS, REQUEST_STATUSES, RequestAction, RequestStatus } from './request.types';

const S: RequestStatus[] = ['submitted', 'unassigned', 'assigned', 'in_progress', 'awaiting_buyer', 'answered', 'closed'];

/**
 * Every (action, status) pair: the status reached, or '-' when refused. Columns follow S:
 *   submitted  unassigned  assigned  in_progress  awaiting_buyer  answered  closed
 * `closed` is a request closed as answered (the reopenable kind); other closures are checked below.
 */
const MATRIX: Record<Exclude<RequestAction, 'close'>, string> = {
  route_assigned: '         assigned   assigned  -         -            -              -         -',
  route_unassigned: '       unassigned -          -         -            -              -         -',
  take_charge: '            -          -          in_progress -         -              -         -',
  give_back: '              -          -          -         submitted    -              -         -',
  request_clarification: '  -          -          -         awaiting_buyer -             -         -',
  buyer_clarified: '        -          -          -         -            in_progress    -         -',
  answer: '                 -          -          -         answered     answered       answered  -',
  buyer_replied_to_answer: '-         -          -         -            -              in_progress in_progress',
  buyer_added_information: 'submitted unassigned assigned  in_progress  -              -         -',
  buyer_resolved: '         -          -          -         -            -              closed    -',
  withdraw: '               closed     closed     closed    closed       closed         -         -',
  transfer: '               -          submitted  submitted submitted    submitted      -         -',
  split: '                  -          -          assigned  in_progress  -              -         -',
  reassign: '               -          assigned   assigned  assigned     awaiting_buyer -         -',
  reroute: '                -          submitted  submitted submitted    awaiting_buyer -         -',
  reopen: '                 -          -          -         -            -              -         in_progress',
};

/** Close reasons: the statuses each is allowed from. */
const CLOSE_MATRIX: Record<CloseReason, RequestStatus[]> = {
  answered: ['answered'],
  no_reply: ['awaiting_buyer', 'answered'],
  redirected: ['submitted', 'unassigned', 'assigned', 'in_progress', 'awaiting_buyer', 'answered'],
  duplicate: ['submitted', 'unassigned', 'assigned', 'in_progress', 'awaiting_buyer', 'answered'],
  // Not once answered: the buyer no longer may either (they say it is resolved), and the survey would be skipped.
  withdrawn: ['submitted', 'unassigned', 'assigned', 'in_progress', 'awaiting_buyer'],
};

const cases = Object.entries(MATRIX).flatMap(([action, row]) => {
  const cells = row.trim().split(/\s+/);
  expect(cells).toHaveLength(S.length);
  return S.map((status, i) => ({
    action: action as RequestAction,
    status,
    expected: cells[i] === '-' ? null : (cells[i] as RequestStatus),
  }));
});

describe('request state machine', () => {
  it('has a row for every action and a column for every status', () => {
    expect(new Set([...Object.keys(MATRIX), 'close'])).toEqual(new Set(REQUEST_ACTIONS));
    expect(new Set(S)).toEqual(new Set(REQUEST_STATUSES));
    expect(new Set(Object.keys(CLOSE_MATRIX))).toEqual(new Set(CLOSE_REASONS));
  });

  it.each(cases)('$action from $status → $expected', ({ action, status, expected }) => {
    const request = { status, closeReason: status === 'closed' ? ('answered' as const) : null };
    const result = transition(request, action);
    if (expected) {
      expect(result).toEqual({ allowed: true, to: expected });
      expect(nextStatus(request, action)).toBe(expected);
    } else {
      expect(result.allowed).toBe(false);
      expect(() => nextStatus(request, action)).toThrow(AppError);
    }
  });

  const closeCases = CLOSE_REASONS.flatMap((reason) =>
    S.map((status) => ({ reason, status, allowed: CLOSE_MATRIX[reason].includes(status) })),
  );
  it.each(closeCases)('close as $reason from $status: allowed $allowed', ({ reason, status, allowed }) => {
    const result = transition({ status, closeReason: status === 'closed' ? 'answered' : null }, 'close', reason);
    expect(result).toEqual(allowed ? { allowed: true, to: 'closed' } : expect.objectContaining({ allowed: false }));
  });

  it('refuses a close without a reason, in French', () => {
    expect(transition({ status: 'answered' }, 'close')).toEqual({ allowed: false, message: 'Choisissez le motif de clôture.' });
  });

  it.each([
    ['request_clarification', 'Cette action n’est pas possible pour une demande « En attente de l’acheteur ».'],
    ['buyer_resolved', 'Cette action n’est pas possible pour une demande « En attente de votre précision ».'],
  ] as const)('names the status as the one who tried %s reads it', (action, message) => {
    expect(transition({ status: 'awaiting_buyer' }, action)).toEqual({
      allowed: false,
      message: `${message} La page a peut-être changé entre-temps : rechargez-la.`,
    });
  });

  it.each([
    ['answered', true, true],
    ['no_reply', true, true],
    ['redirected', false, true],
    ['duplicate', false, true],
    ['withdrawn', false, false],
  ] as const)('a request closed as %s: the buyer’s reply reopens it %s, staff may reopen it %s', (closeReason, byReply, byStaff) => {
    expect(transition({ status: 'closed', closeReason }, 'buyer_replied_to_answer').allowed).toBe(byReply);
    expect(transition({ status: 'closed', closeReason }, 'reopen').allowed).toBe(byStaff);
  });

  it.each([
    [
      'answer',
      'assigned',
      'Prenez d’abord la demande en charge : vous pourrez ensuite demander une précision à l’acheteur ou lui répondre.',
    ],
    [
      'take_charge',
      'awaiting_buyer',
      'Cette action n’est pas possible pour une demande « En attente de l’acheteur ». La page a peut-être changé entre-temps : rechargez-la.',
    ],
    [
      'give_back',
      'awaiting_buyer',
      'La demande attend la précision de l’acheteur : vous pourrez la rendre une fois sa précision reçue, ou y répondre si vous l’avez eue autrement.',
    ],
    [
      'give_back',
      'answered',
      'Vous avez déjà répondu : pour qu’un collègue prenne la suite, demandez à l’animateur de votre réseau de confier la demande à un autre facilitateur.',
    ],
  ] as const)('refuses %s from %s with a conflict carrying a French message', (action, status, message) => {
    try {
      nextStatus({ status }, action);
      throw new Error('should have refused');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('conflict');
      expect((error as AppError).message).toBe(message);
    }
  });

  it.each([
    ['in_progress', 'facilitator', ['give_back', 'request_clarification', 'answer', 'close', 'transfer', 'split']],
    ['assigned', 'facilitator', ['take_charge', 'close', 'transfer', 'split']],
    ['answered', 'facilitator', ['answer', 'close']],
    ['awaiting_buyer', 'facilitator', ['answer', 'close', 'transfer']],
    ['closed', 'facilitator', ['reopen']],
    ['awaiting_buyer', 'buyer', ['buyer_clarified', 'withdraw']],
    ['answered', 'buyer', ['buyer_replied_to_answer', 'buyer_resolved']],
    ['in_progress', 'buyer', ['buyer_added_information', 'withdraw']],
    ['unassigned', 'animator', ['reassign', 'reroute']],
    ['submitted', 'system', ['route_assigned', 'route_unassigned']],
  ] as const)('allowed actions in %s for the %s', (status, actor, expected) => {
    expect(allowedActions({ status, closeReason: null }, actor)).toEqual(expected);
  });

  it('lists the close reasons a status allows, for the closing form', () => {
    // « Sans nouvelle » is the reply window's end, never a person's choice: it would cut the buyer's time short.
    expect(closeReasonsFor('awaiting_buyer')).toEqual(['redirected', 'duplicate', 'withdrawn']);
    expect(closeReasonsFor('answered')).toEqual(['answered', 'redirected', 'duplicate']);
    expect(closeReasonsFor('closed')).toEqual([]);
  });
});
