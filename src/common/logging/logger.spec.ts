import { scrubPersonalData } from './logger';

describe('scrubPersonalData', () => {
  it.each([
    [
      'an address an SMTP reply quotes',
      '550 5.1.1 <camille.martin@example.fr>: Recipient address rejected',
      '550 5.1.1 <[adresse masquée]>: Recipient address rejected',
    ],
    ['a French phone number', 'appeler le 04 76 00 00 00 demain', 'appeler le [numéro masqué] demain'],
    ['an international one', 'tél. +33 4 76 00 00 00', 'tél. [numéro masqué]'],
    ['dotted', 'au 06.12.34.56.78', 'au [numéro masqué]'],
    [
      'an SMTP status and enhanced code',
      'all recipients were rejected: 550 5.1.1 User unknown',
      'all recipients were rejected: 550 5.1.1 User unknown',
    ],
    ['a temporary one', '451 4.3.0 Try again later', '451 4.3.0 Try again later'],
    ['a host and port refusing', 'connect ECONNREFUSED 127.0.0.1:5499', 'connect ECONNREFUSED 127.0.0.1:5499'],
  ])('%s', (_label, text, expected) => {
    expect(scrubPersonalData(text)).toBe(expected);
  });
});
