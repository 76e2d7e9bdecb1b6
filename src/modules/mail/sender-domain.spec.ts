import { senderDomain } from './sender-domain';

describe('senderDomain', () => {
  it.each([
    ['Guichet vert <ne-pas-repondre@guichet-vert.fr>', 'guichet-vert.fr'],
    ['ne-pas-repondre@guichet-vert.fr', 'guichet-vert.fr'],
    ['Guichet vert — Isère <gv@isere.example.fr>', 'isere.example.fr'],
    ['Guichet vert <ne-pas-repondre@guichet-vert.localhost>', 'guichet-vert.localhost'],
    // Domains are case-blind: one form for every message.
    ['GV <Ne-Pas-Repondre@Guichet-Vert.FR>', 'guichet-vert.fr'],
    // An accented domain in its ASCII form (IDNA), the only one a header id may carry.
    ['Guichet vert <gv@guichet-vért.fr>', 'xn--guichet-vrt-jbb.fr'],
    ['gv@guichet-vért.fr', 'xn--guichet-vrt-jbb.fr'],
    // No ASCII form: as written, lower-cased.
    ['gv@Guichet%vert.fr', 'guichet%vert.fr'],
  ])('%s → %s', (mailFrom, expected) => {
    expect(senderDomain(mailFrom)).toBe(expected);
  });
});
