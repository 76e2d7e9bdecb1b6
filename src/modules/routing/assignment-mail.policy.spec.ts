import { assignmentSubject } from './assignment-mail.policy';

describe('assignmentSubject', () => {
  const request = { reference: 'GV-2026-000042', subject: 'Papier recyclé' };
  const long = { reference: 'GV-2026-000043', subject: 'Restauration scolaire : produits durables et loi EGAlim, lots 1 à 4' };
  it.each<[string, { reference: string; subject: string }, boolean, string]>([
    ['never held: a new request', request, false, 'Nouvelle demande GV-2026-000042 « Papier recyclé »'],
    ['held before: it comes back', request, true, 'Demande GV-2026-000042 « Papier recyclé » : elle vous est confiée à nouveau'],
    [
      'a long subject is shortened, as in every mail about one request',
      long,
      false,
      'Nouvelle demande GV-2026-000043 « Restauration scolaire : produits durables et loi… »',
    ],
  ])('%s', (_label, given, heldBefore, expected) => {
    expect(assignmentSubject(given, heldBefore)).toBe(expected);
  });
});
