import { acknowledgementMessage } from '../../../test/support/mail-fixtures';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { affiliationOf, FacilitatorShown } from '../requests/message-author.policy';
import { MailComposer, TEMPLATE_FOOTERS } from './mail-composer';

const acknowledgement = acknowledgementMessage();

const invitation = {
  template: 'staff-invitation',
  subject: 'Votre accès à l’espace du guichet vert',
  context: {
    firstName: 'Sam',
    inviter: 'Ada Lovelace',
    roleLabel: 'animateur',
    link: 'http://localhost:3000/mot-de-passe/nouveau/x',
    expiresAt: '2026-12-11T10:00:00Z',
  },
};

const survey = {
  template: 'survey',
  subject: 'Demande GV-2026-000123 « Fournitures de bureau » : qu’est devenu votre achat ? — réseau AURA-EE — Guichet vert',
  context: {
    firstName: 'Camille',
    wave: 'impact',
    reference: 'GV-2026-000123',
    subject: 'Fournitures de bureau',
    networkName: 'AURA-EE',
    surveyUrl: 'http://localhost:3000/questionnaire/x',
    expiresAt: '2026-12-11T10:00:00Z',
  },
};

/** The notice to a buyer's former address, with the context's fields given over a complete one. */
const addressChanged = (context: Record<string, unknown> = {}) => ({
  template: 'buyer-email-changed',
  subject: 'Demande GV-2026-000042 « Papier recyclé » : l’adresse électronique de suivi a changé — Guichet vert',
  context: {
    firstName: 'Camille',
    reference: 'GV-2026-000042',
    subject: 'Papier recyclé',
    changedAt: '2026-03-31T21:30:00Z',
    departmentCode: '38',
    networkName: 'Réseau Grand Est',
    contactEmail: 'contact@achats-responsables-grandest.fr',
    newAddress: 'c•••@exemple.fr',
    ...context,
  },
});

describe('MailComposer', () => {
  const composer = new MailComposer();

  it('the impact survey stays the network’s, and names who advised the buyer when they work for a structure of their own', () => {
    const advisedBy = 'Camille, de la Maison de l’emploi de Carcassonne';
    const employed = composer.compose({ ...survey, context: { ...survey.context, networkName: 'Rés’Occ', advisedBy } });
    const network = composer.compose({ ...survey, context: { ...survey.context, networkName: 'Rés’Occ', advisedBy: null } });
    for (const body of [employed.text, employed.html]) {
      expect(body).toContain(
        'Au nom des animateurs du réseau Rés’Occ : il y a quelques mois, Camille, de la Maison de l’emploi de Carcassonne, vous a conseillé pour votre demande',
      );
    }
    expect(network.text).toContain('Au nom des animateurs du réseau Rés’Occ : il y a quelques mois, le guichet vert vous a conseillé pour');
  });

  it('the impact survey speaks of a signed contract to a company outside the public-procurement code', () => {
    const asked = (publicProcurement: boolean) => composer.compose({ ...survey, context: { ...survey.context, publicProcurement } });
    for (const body of [asked(false).text, asked(false).html]) {
      expect(body).toContain('pour mesurer ce que le conseil a changé : contrat signé, clauses');
      expect(body).not.toContain('consultation publiée');
    }
    expect(asked(true).text).toContain('pour mesurer ce que le conseil a changé : consultation publiée ou marché notifié, clauses');
  });

  it('knows the reader of every template it holds, and of no other', () => {
    const templates = new Set(
      readdirSync(join(__dirname, 'templates'))
        .filter((file) => file !== 'layout.html.njk')
        .map((file) => file.replace(/\.(text|html)\.njk$/, '')),
    );
    expect(Object.keys(TEMPLATE_FOOTERS).sort()).toEqual([...templates].sort());
  });

  it('breaks people’s lines with <br>, never with a style some mail clients strip', () => {
    for (const file of readdirSync(join(__dirname, 'templates'))) {
      // (« white-space: nowrap » on a reference may go: the reference then wraps, nothing is lost.)
      expect([file, /white-space: *pre/.test(readFileSync(join(__dirname, 'templates', file), 'utf8'))]).toEqual([file, false]);
    }
  });

  it('ends the buyer’s reminder of a precision with the buyer’s footer, not the staff’s', () => {
    const { text } = composer.compose({
      template: 'buyer-precision-reminder',
      subject: 'Rappel',
      context: {
        firstName: 'Camille',
        reference: 'GV-2026-000042',
        subject: 'Papier',
        closesAt: '2026-12-08T23:00:00Z',
        trackingUrl: 'http://x',
      },
    });
    expect(text).toContain('Merci de ne pas y répondre directement : utilisez le lien de suivi de votre demande.');
  });

  it.each([
    [acknowledgement, 'utilisez le lien de suivi de votre demande.'],
    [invitation, 'agissez depuis l’espace du guichet vert.'],
    // It carries no tracking link to point to.
    [survey, 'le questionnaire a une place pour vos commentaires.'],
    // Its tracking link may be in other hands now.
    [addressChanged(), 'écrivez à votre réseau, comme indiqué ci-dessus.'],
  ])('ends both parts of %s with the footer for its reader', (message, advice) => {
    const { text, html } = composer.compose(message);
    expect(
      text.endsWith(
        `\n\n-- \nCe message vous est envoyé par le guichet vert des réseaux régionaux de l’achat public durable. Merci de ne pas y répondre directement : ${advice}\n`,
      ),
    ).toBe(true);
    expect(html).toContain(`Merci de ne pas y répondre directement : ${advice}</p>`);
  });
});

describe('MailComposer, long words', () => {
  const composer = new MailComposer();
  const LONG = `https://www.marches-publics.gouv.fr/entreprise/consultation/${'0123456789'.repeat(12)}`;
  const note = { by: 'Alix', note: LONG, reason: LONG };
  /** Every text a person typed, and every link, one long unbroken word: the fields of all templates at once. */
  const everyText = {
    ...Object.fromEntries(
      ['subject', 'question', 'body', 'reason', 'transferNote', 'previous', 'next', 'newAddress'].map((field) => [field, LONG]),
    ),
    ...Object.fromEntries(
      ['actionUrl', 'trackingUrl', 'link', 'surveyUrl', 'declineUrl', 'workspaceUrl', 'requestUrl', 'queueUrl'].map((field) => [
        field,
        LONG,
      ]),
    ),
    firstName: 'Camille',
    reference: 'GV-2026-000042',
    givenBack: note,
    handOver: note,
    wave: 'impact',
    changes: [
      { kind: 'question', question: LONG },
      { kind: 'answer', answers: [{ body: LONG, items: [{ typeLabel: 'Guide', url: LONG }], files: [] }] },
      { kind: 'closed', message: LONG },
      { kind: 'transferred', reason: LONG },
    ],
    requests: [{ reference: 'GV-2026-000042', subject: LONG, givenBack: note }],
    created: [{ reference: 'GV-2026-000043', subject: LONG, trackingUrl: LONG }],
    links: [{ reference: 'GV-2026-000042', subject: LONG, url: LONG }],
  };

  /** The style attributes of the elements around each place `word` is read in `html` (its text, not its attributes). */
  function stylesAround(html: string, word: string): string[][] {
    const open: Array<{ tag: string; style: string }> = [];
    const found: string[][] = [];
    for (const part of html.split(/(<[^>]*>)/)) {
      const tag = /^<(\/?)([a-z][a-z0-9]*)([^>]*)>$/i.exec(part);
      if (!tag) {
        if (part.includes(word)) found.push(open.map((element) => element.style));
      } else if (tag[1]) {
        open.length = Math.max(open.map((element) => element.tag).lastIndexOf(tag[2].toLowerCase()), 0);
      } else if (!['br', 'hr', 'meta', 'img'].includes(tag[2].toLowerCase())) {
        open.push({ tag: tag[2].toLowerCase(), style: /style="([^"]*)"/.exec(tag[3])?.[1] ?? '' });
      }
    }
    return found;
  }

  it('breaks a long link typed in any message rather than make a phone scroll sideways (RGAA 10.11)', () => {
    const wraps = (styles: string[]) => styles.some((style) => /overflow-wrap: anywhere;.*word-break: break-word/.test(style));
    const shown: string[] = [];
    for (const template of Object.keys(TEMPLATE_FOOTERS)) {
      const places = stylesAround(composer.compose({ template, subject: 'Sujet', context: everyText }).html, LONG);
      if (places.length) shown.push(template);
      expect([template, places.filter((styles) => !wraps(styles)).length]).toEqual([template, 0]);
    }
    // The quotations of what a buyer or a colleague typed are among them.
    expect(shown).toEqual(
      expect.arrayContaining([
        'request-acknowledgement',
        'buyer-update',
        'buyer-precision-reminder',
        'facilitator-buyer-message',
        'facilitator-assignment',
        'network-pool-alert',
        'assignment-withdrawn',
      ]),
    );
  });
});

describe('MailComposer, the preview line', () => {
  const composer = new MailComposer();
  /** A buyer's update in Isère, as the service words it (`label`, `statusInNews`). */
  const buyerUpdate = (context: Record<string, unknown>) => ({
    template: 'buyer-update',
    subject: 'Votre demande GV-2026-000042 « Papier recyclé » : du nouveau — Guichet vert',
    context: { reference: 'GV-2026-000042', departmentCode: '38', ...context },
  });
  /** The hidden line at the top of the body, which mail clients show beside the subject in the inbox. */
  const preheader = (html: string) =>
    /<body[^>]*>\s*<span style="display: none; max-height: 0; max-width: 0; overflow: hidden;[^"]*">([^<]*)<\/span>/.exec(html)?.[1];

  it('every template says in one line what the message brings, before any other text of the body', () => {
    for (const file of readdirSync(join(__dirname, 'templates')).filter((f) => f.endsWith('.html.njk') && f !== 'layout.html.njk')) {
      const source = readFileSync(join(__dirname, 'templates', file), 'utf8');
      expect([file, /\{% block preheader %\}[^\n]{20,}\{% endblock %\}/.test(source)]).toEqual([file, true]);
    }
  });

  it.each([
    [
      acknowledgement,
      'Demande GV-2026-000042 reçue : prise en charge sous 5 jours ouvrés. Votre lien de suivi personnel est dans ce message.',
    ],
    [
      invitation,
      'Ada Lovelace vous invite comme animateur : choisissez votre mot de passe avant le 11 décembre 2026 à 11:00 (heure de Paris).',
    ],
    [survey, 'Demande GV-2026-000123 « Fournitures de bureau » : qu’est devenu cet achat ? Quelques questions, 5 minutes.'],
    [
      {
        template: 'buyer-update',
        subject: 'Votre demande GV-2026-000042 « Papier recyclé » : la réponse du facilitateur — Guichet vert',
        context: {
          reference: 'GV-2026-000042',
          statusLabel: 'Répondue',
          changes: [{ kind: 'taken' }, { kind: 'answer', answers: [{ body: 'Voici.', items: [], files: [] }] }],
        },
      },
      'Demande GV-2026-000042 : prise en charge, la réponse du facilitateur. Statut actuel : Répondue.',
    ],
    [
      buyerUpdate({
        statusInNews: true,
        statusLabel: 'Réponse envoyée',
        waitingForAnswerReply: true,
        answerReplyUntil: '2027-01-12T23:00:00Z',
        changes: [{ kind: 'answer', label: 'complément à la réponse du facilitateur', answers: [] }],
      }),
      'Demande GV-2026-000042 : complément à la réponse du facilitateur. Vous pouvez répondre jusqu’au 12 janvier 2027 au soir (heure de Paris).',
    ],
    [
      buyerUpdate({
        statusInNews: true,
        statusLabel: 'En attente de votre précision',
        waitingForQuestionReply: true,
        questionReplyBy: '2027-01-12T23:00:00Z',
        changes: [
          { kind: 'question', label: 'une précision vous est demandée', question: 'Quel montant ?' },
          { kind: 'transferred', label: 'demande transmise à un autre facilitateur' },
        ],
      }),
      'Demande GV-2026-000042 : une précision vous est demandée, demande transmise à un autre facilitateur. Répondez d’ici le 12 janvier 2027 au soir (heure de Paris).',
    ],
    [
      buyerUpdate({
        statusLabel: 'En attente de votre précision',
        waitingForQuestionReply: true,
        questionReplyBy: '2027-01-12T23:00:00Z',
        changes: [{ kind: 'transferred', label: 'demande transmise à un autre facilitateur' }],
      }),
      'Demande GV-2026-000042 : demande transmise à un autre facilitateur. Statut actuel : En attente de votre précision. Répondez d’ici le 12 janvier 2027 au soir (heure de Paris).',
    ],
    [
      buyerUpdate({ statusInNews: true, statusLabel: 'Clôturée', changes: [{ kind: 'closed', label: 'demande clôturée' }] }),
      'Demande GV-2026-000042 : demande clôturée.',
    ],
  ])('%#: hides its summary at the top of the HTML part, and leaves the text part as it was', (message, line) => {
    const { text, html } = composer.compose(message);
    expect(preheader(html)).toBe(line);
    expect(text).not.toContain(line.slice(0, 30));
  });

  it.each([
    [
      1,
      'Demande GV-2026-000041 (Considérations environnementales, 38 — Isère) : 2 délais de prise en charge manqués de suite ; vérifiez qu’elle sera traitée.',
    ],
    [2, '2 demandes du réseau Grand Est ont manqué plusieurs délais de prise en charge de suite ; vérifiez qu’elles seront traitées.'],
  ])('an escalation digest of %i request(s) asks in its number that they be dealt with', (count, line) => {
    const requests = [1, 2].slice(0, count).map((n) => ({
      reference: `GV-2026-00004${n}`,
      subject: 'Papier recyclé',
      kindLabel: 'Considérations environnementales',
      department: '38 — Isère',
      misses: 2,
    }));
    const { html } = composer.compose({
      template: 'network-escalation',
      subject: 'Délai de prise en charge dépassé',
      context: { networkName: 'Réseau Grand Est', total: count, requests, queueUrl: 'http://localhost:3000/espace' },
    });
    expect(preheader(html)).toBe(line);
  });

  it('escapes what people typed in it', () => {
    const { html } = composer.compose({
      template: 'request-reopened',
      subject: 'Demande rouverte',
      context: { firstName: 'Sacha', reference: 'GV-2026-000042', subject: 'Papier', reopenedBy: 'Ada <b>L</b>', actionUrl: 'http://x' },
    });
    expect(preheader(html)).toBe('Demande GV-2026-000042 rouverte par Ada &lt;b&gt;L&lt;/b&gt; : elle vous revient.');
  });
});

describe('MailComposer, request-acknowledgement', () => {
  const composer = new MailComposer();

  it('keeps a request’s reference on one line, in this e-mail as in every other that shows it in bold', () => {
    expect(composer.compose(acknowledgement).html).toMatch(/votre demande <strong style="white-space: nowrap">GV-\d{4}-\d{6}<\/strong>/);
    // A phone breaks « GV-2026-000051 » at a hyphen unless told not to.
    const breakable = readdirSync(join(__dirname, 'templates'))
      .filter((file) => file.endsWith('.html.njk'))
      .filter((file) => /<strong>\{\{ *[\w.]*reference *\}\}<\/strong>/.test(readFileSync(join(__dirname, 'templates', file), 'utf8')));
    expect(breakable).toEqual([]);
  });

  it('copies the question as the buyer wrote it, escaped in HTML, its line breaks kept', () => {
    const question = 'Peut-on exiger <b>du papier</b> recyclé ?\nEt pour les enveloppes & cartons ?';
    const { text, html } = composer.compose(acknowledgementMessage({ question }));
    expect(text).toContain(`Votre question, telle que vous l’avez posée :\n\n${question}\n\nUn facilitateur`);
    expect(html).toContain(
      '#000091;">Peut-on exiger &lt;b&gt;du papier&lt;/b&gt; recyclé ?<br />\nEt pour les enveloppes &amp; cartons ?</blockquote>',
    );
  });

  it('says the answer comes after the taking in charge, and warns when that pace misses the day the buyer needs it', () => {
    const late = composer.compose(acknowledgementMessage({ neededBy: '2027-03-01', usualAnswerDay: '2027-03-12' }));
    for (const body of [late.text, late.html]) {
      expect(body).toContain('Une réponse écrite vous parvient en général dans les 15 jours ouvrés qui suivent.');
      expect(body).toMatch(
        /Vous avez besoin de la réponse d’ici le 1er mars 2027(<\/strong>)? : à ce rythme, elle peut n’arriver que le 12 mars 2027\./,
      );
    }
    const onTime = composer.compose(acknowledgementMessage());
    expect(onTime.text).not.toContain('Vous avez besoin de la réponse');
    expect(onTime.html).not.toContain('Vous avez besoin de la réponse');
  });

  it('a message queued before the question was copied reads without it', () => {
    const { text, html } = composer.compose(acknowledgementMessage({ question: undefined }));
    expect(text).toContain('« Papier recyclé ».\n\nUn facilitateur');
    expect(html).not.toContain('Votre question');
  });
});

describe('MailComposer, buyer-update', () => {
  const composer = new MailComposer();
  // Who took the request in charge, as the notifications service gives them.
  const shown = (facilitator: FacilitatorShown) => ({ ...facilitator, affiliation: affiliationOf(facilitator) });
  const update = (context: Record<string, unknown>) =>
    composer.compose({
      template: 'buyer-update',
      subject: 'Votre demande GV-2026-000042 « Papier recyclé » : du nouveau — Guichet vert',
      context: {
        firstName: 'Camille',
        reference: 'GV-2026-000042',
        subject: 'Papier recyclé',
        statusLabel: 'Prise en charge',
        trackingUrl: 'http://localhost:3000/suivi/GV-2026-000042?t=jeton',
        answerDays: 10,
        ...context,
      },
    });

  it('an answer without help items or files reads without runs of blank lines', () => {
    const { text } = update({
      facilitatorName: 'Alex',
      changes: [{ kind: 'answer', answers: [{ body: 'Voici la réponse.', items: [], files: [] }] }],
    });
    expect(text).toContain('--- La réponse d’Alex ---\n\nVoici la réponse.\n\n');
    expect(text).not.toMatch(/\n\n\n/);
  });

  it('the taking in charge names no pronoun for whoever follows the request', () => {
    const takenBy = shown({ firstName: 'Dominique', network: 'Auvergne-Rhône-Alpes', kind: 'environmental', organisation: null });
    const { text, html } = update({ takenBy, changes: [{ kind: 'taken' }] });
    for (const body of [text, html]) {
      expect(body).toContain(
        'Sa réponse écrite vous parvient en général sous 10 jours ouvrés ; une précision peut d’abord vous être demandée.',
      );
      expect(body).not.toMatch(/\b(il|elle) peut\b/);
    }
  });

  it('names the environmental adviser by network, the social-clause facilitator by their structure, else their role on the territory', () => {
    const adviser = update({
      takenBy: shown({ firstName: 'Dominique', network: 'AURA-EE / RREDD', kind: 'environmental', organisation: null }),
      changes: [{ kind: 'taken' }],
    });
    const social = update({
      takenBy: shown({ firstName: 'Camille', network: 'AURA-EE / RREDD', kind: 'social_clause', organisation: null }),
      changes: [{ kind: 'taken' }],
    });
    const employed = update({
      takenBy: shown({
        firstName: 'Camille',
        network: 'Rés’Occ',
        kind: 'social_clause',
        organisation: 'Maison de l’emploi de Carcassonne',
      }),
      changes: [{ kind: 'taken' }],
    });
    expect(employed.text).toContain('Camille, de la Maison de l’emploi de Carcassonne, a pris votre demande en charge.');
    expect(employed.html).toContain('<strong>Camille</strong>, de la Maison de l’emploi de Carcassonne, a pris');
    expect(employed.text).not.toContain('Rés’Occ');
    expect(adviser.text).toContain('Dominique, du réseau AURA-EE / RREDD, a pris votre demande en charge.');
    expect(social.text).toContain('Camille, qui anime les clauses sociales sur votre territoire, a pris votre demande en charge.');
    expect(social.html).toContain('<strong>Camille</strong>, qui anime les clauses sociales sur votre territoire, a pris');
    expect(social.html).not.toContain('du réseau AURA-EE');
  });

  it('a message queued before structures were named (its context without « affiliation ») still names the network', () => {
    const queued = update({
      takenBy: { firstName: 'Dominique', network: 'AURA-EE / RREDD', kind: 'environmental' },
      changes: [{ kind: 'taken' }],
    });
    expect(queued.text).toContain('Dominique, du réseau AURA-EE / RREDD, a pris votre demande en charge.');
  });

  it('a closure for want of the buyer’s reply says so to them, and what to do if their question still stands', () => {
    const { text, html } = update({
      statusLabel: 'Clôturée',
      closeReasonLabel: 'Sans réponse de votre part dans le délai',
      closedForNoReply: true,
      changes: [{ kind: 'closed' }],
    });
    for (const body of [text, html]) {
      expect(body).toContain(
        'Motif : Sans réponse de votre part dans le délai. Votre question tient toujours ? Déposez une nouvelle demande depuis votre page de suivi : vos coordonnées y sont reprises.',
      );
    }
  });

  it('a closure at the end of the buyer’s window says no message came; one by a person gives the time left to reply', () => {
    const automatic = update({
      statusLabel: 'Clôturée',
      closeReasonLabel: 'Réponse apportée',
      changes: [{ kind: 'closed', automatic: true }],
    });
    const early = update({
      statusLabel: 'Clôturée',
      closeReasonLabel: 'Réponse apportée',
      departmentCode: '38',
      closedReplyUntil: '2027-01-12T23:00:00Z',
      changes: [{ kind: 'closed', automatic: false, message: 'Bonne continuation.' }],
    });
    for (const body of [automatic.text, automatic.html]) {
      expect(body).toContain('Motif : Réponse apportée. Le délai pour réagir à la réponse est passé sans message de votre part.');
      expect(body).not.toContain('Vous pouvez encore y répondre');
    }
    for (const body of [early.text, early.html]) {
      expect(body).not.toContain('Le délai pour réagir');
      expect(body).toContain(
        'Une remarque sur la réponse ? Vous pouvez encore y répondre depuis votre page de suivi jusqu’au 12 janvier 2027 au soir (heure de Paris) : la demande sera rouverte.',
      );
    }
    expect(early.text).toContain('Motif : Réponse apportée.\n\nBonne continuation.\n\nUne remarque sur la réponse ?');
  });

  it('a closure reads as one letter and offers the page to consult, not to reply', () => {
    const { text } = update({ statusLabel: 'Clôturée', closeReasonLabel: 'Sans nouvelle de votre part', changes: [{ kind: 'closed' }] });
    expect(text).toContain('a évolué.\n\n--- Demande clôturée ---\nMotif : Sans nouvelle de votre part.');
    expect(text).not.toMatch(/\n\n\n/);
    expect(text).toContain('Consulter votre demande et ses documents :');
    expect(text).not.toContain('répondre ou télécharger');
    expect(update({ changes: [{ kind: 'taken' }] }).text).toContain('Suivre votre demande, répondre ou télécharger les documents :');
  });

  it('says where a file named in the answer is: on the tracking page, not attached to the e-mail', () => {
    const item = { typeLabel: 'Exemple de DCE', title: 'CCTP restauration', fileName: 'cctp.pdf' };
    const { text, html } = update({ changes: [{ kind: 'answer', answer: { body: 'Voici un exemple.', items: [item], files: [] } }] });
    for (const body of [text, html]) {
      expect(body).toContain('CCTP restauration (fichier à télécharger depuis votre page de suivi)');
      expect(body).not.toContain('fichier joint');
    }
  });

  it('gives an answer and its complement in full, each under its heading; a complement alone is named so', () => {
    const answer = { body: 'Voici la réponse.', items: [], files: [], complement: false };
    const complement = { body: 'J’ai oublié le guide.', items: [], files: [{ name: 'guide.pdf', detail: 'PDF – 1 Ko' }], complement: true };
    const both = update({ facilitatorName: 'Dominique', changes: [{ kind: 'answer', answers: [answer, complement] }] });
    for (const body of [both.text, both.html]) {
      expect(body).toContain('La réponse de Dominique');
      expect(body).toContain('Complément à la réponse de Dominique');
      expect(body.indexOf('Voici la réponse.')).toBeLessThan(body.indexOf('J’ai oublié le guide.'));
      expect(body).toContain('guide.pdf (PDF – 1 Ko)');
    }
    const alone = update({ facilitatorName: 'Dominique', changes: [{ kind: 'answer', answers: [complement] }] });
    expect(alone.text).toContain('--- Complément à la réponse de Dominique ---');
    expect(alone.text).not.toContain('--- La réponse');
  });

  it('formats a precision asked and a closing word as the tracking page does, not as raw Markdown', () => {
    const typed = 'Précisez le **montant** et lisez [le guide](https://www.ecologie.gouv.fr/guide).';
    for (const change of [
      { kind: 'question', question: typed },
      { kind: 'closed', message: typed },
    ]) {
      const { text, html } = update({ changes: [change] });
      expect(html).toContain('<strong>montant</strong>');
      expect(html).toContain('<a href="https://www.ecologie.gouv.fr/guide"');
      expect(text).toContain('Précisez le montant et lisez le guide');
      for (const body of [text, html]) expect(body).not.toContain('**');
    }
  });

  it('a message queued before its dates were computed still reads, with the number of days', () => {
    const { text } = update({
      statusLabel: 'En attente de votre précision',
      waitingForQuestionReply: true,
      replyWindowDays: 10,
      changes: [{ kind: 'question', question: 'Quel montant ?' }],
    });
    expect(text).toContain(
      'Répondez depuis votre page de suivi dans les 10 jours ouvrés : sans réponse, la demande sera clôturée. Une réponse envoyée à ce courriel ne parviendrait pas au facilitateur.',
    );
  });
});

describe('MailComposer, facilitator-assignment', () => {
  const composer = new MailComposer();
  /** The e-mail composed with the context's fields given over a plain one (no hand-over). */
  const withContext = (context: Record<string, unknown>) =>
    composer.compose({
      template: 'facilitator-assignment',
      subject: 'Nouvelle demande GV-2026-000042 « Papier recyclé »',
      context: {
        firstName: 'Dominique',
        reference: 'GV-2026-000042',
        subject: 'Papier recyclé',
        dueAt: '2026-12-11T10:00:00Z',
        ...context,
      },
    });
  const assignment = (reason: string, subject = 'Papier recyclé') =>
    withContext({
      subject,
      handOver: { by: 'Sam Essai', reason, resumed: false },
      kindLabel: 'Environnement',
      department: '38 — Isère',
      segment: 'Fournitures de bureau',
      actionUrl: 'http://localhost:3000/espace/demandes/GV-2026-000042',
    });

  it.each([
    ['Finalement Dominique la garde.', 'vous la confie : « Finalement Dominique la garde. »'],
    ['Pouvez-vous la reprendre ?', 'vous la confie : « Pouvez-vous la reprendre ? »'],
    ['congés', 'vous la confie : « congés ».'],
  ])('quotes the reason %j with one final punctuation', (reason, expected) => {
    const { text, html } = assignment(reason);
    for (const body of [text, html]) {
      expect(body).toContain(expected);
      expect(body).not.toMatch(/[.!?] »\./);
    }
  });

  it('tells a coordinator why the département’s facilitators could not take it, when routing chose them', () => {
    const why = 'les facilitateurs de clauses sociales du département sont tous absents (retour du premier, le 31 décembre 2026)';
    const routed = withContext({ fallbackWhy: why });
    // A paragraph of its own, apart from the request's details that follow.
    expect(routed.text).toContain(`Elle vous revient comme coordinateur régional : ${why}.\n\nType de question :`);
    expect(routed.html).toContain(`Elle vous revient comme <strong>coordinateur régional</strong> : ${why}.`);
    // Chosen by staff: the hand-over says so, and nothing of a routing that did not happen.
    for (const body of Object.values(assignment('Course A'))) expect(body).not.toContain('coordinateur régional');
  });

  it('names the earlier request a follow-up comes after, to the facilitator who held it', () => {
    const { text, html } = withContext({ followsUp: 'GV-2026-000012' });
    expect(text).toContain(
      'Elle fait suite à la demande GV-2026-000012, sur le même achat, que vous avez prise en charge : retrouvez-y vos échanges avec l’acheteur depuis la page de la demande.',
    );
    expect(html).toContain('Elle fait suite à la demande <strong style="white-space: nowrap">GV-2026-000012</strong>, sur le même achat');
    expect(withContext({}).text).not.toContain('fait suite');
  });

  it('quotes a subject ending with a question mark without adding a full stop', () => {
    expect(assignment('congés', 'Papier recyclé ?').text).toContain('vous est confiée : « Papier recyclé ? »\n');
  });

  it('gives the deadline in the request’s own time; a message queued before it named its département, in Paris time', () => {
    const overseas = withContext({ departmentCode: '974' });
    expect(overseas.text).toContain('Prenez-la en charge avant le 11 décembre 2026 à 14:00 (heure de La Réunion).');
    expect(overseas.html).toContain('<strong>11 décembre 2026 à 14:00 (heure de La Réunion)</strong>');
    expect(assignment('congés').text).toContain('Prenez-la en charge avant le 11 décembre 2026 à 11:00 (heure de Paris).');
  });

  it('reads as one letter: a blank line between parts, never two, with or without a hand-over', () => {
    const plain = withContext({ actionUrl: 'http://localhost:3000/espace/demandes/GV-2026-000042' });
    expect(plain.text).toContain('vous est confiée : « Papier recyclé ».\n\nType de question');
    expect(assignment('congés').text).toContain('vous est confiée : « Papier recyclé ».\n\nSam Essai vous la confie : « congés ».\n\nType');
    for (const { text } of [plain, assignment('congés')]) expect(text).not.toMatch(/\n\n\n/);
  });

  it('says how long the answer may take once taken in charge; a message queued before it, nothing', () => {
    const { text, html } = withContext({ answerDays: 5 });
    expect(text).toContain('Une fois prise en charge, vous aurez 5 jours ouvrés pour répondre par écrit.');
    expect(html).toContain('Une fois prise en charge, vous aurez 5 jours ouvrés pour répondre par écrit.</p>');
    expect(withContext({}).text).not.toContain('Une fois prise en charge');
  });

  it('says routing chose them when staff let it choose, not that staff gave it to them', () => {
    const { text, html } = withContext({ handOver: { by: 'Sam Essai', reason: 'départ', resumed: false, rerouted: true } });
    for (const body of [text, html]) {
      expect(body).toContain('Sam Essai l’a rendue à l’attribution automatique, qui vous l’a confiée. Son motif : « départ ».');
      expect(body).not.toContain('vous la confie');
    }
  });

  it('awaiting the buyer, says the day it closes without the precision; a message queued before it, « dans son délai »', () => {
    const dated = withContext({ awaitingBuyer: true, departmentCode: '38', closesAt: '2027-01-12T08:00:00Z', answerDays: 10 });
    for (const body of [dated.text, dated.html.replace(/<\/?strong>/g, '')]) {
      expect(body).toContain('sans précision d’ici le 12 janvier 2027 à 09:00 (heure de Paris), la demande se clôturera d’elle-même.');
    }
    expect(withContext({ awaitingBuyer: true, answerDays: 10 }).text).toContain('sans précision dans son délai, la demande se clôturera');
    // The inbox's preview line says it too, and no take-charge deadline.
    expect(dated.html).toMatch(
      /<span style="display: none;[^"]*">Demande [^<]* : elle attend la précision demandée à l’acheteur, qui vous parviendra \(sans elle, clôture le 12 janvier 2027 à 09:00 \(heure de Paris\)\)\.<\/span>/,
    );
  });

  it('says the day the buyer needs the answer by, when they gave one', () => {
    const needed = withContext({ neededBy: '2026-12-15' });
    expect(needed.text).toContain('L’acheteur a besoin de la réponse d’ici le 15 décembre 2026.');
    expect(needed.html).toContain('<li>L’acheteur a besoin de la réponse d’ici le <strong>15 décembre 2026</strong></li>');
    expect(assignment('congés').text).not.toContain('a besoin de la réponse');
  });
});

describe('MailComposer, assignment-withdrawn', () => {
  const composer = new MailComposer();
  it('gives the network’s reason for taking it away, as its animator typed it', () => {
    const { text, html } = composer.compose({
      template: 'assignment-withdrawn',
      subject: 'Demande GV-2026-000042 « Papier recyclé » : elle vous est retirée',
      context: { firstName: 'Sacha', reference: 'GV-2026-000042', subject: 'Papier recyclé', why: 'reassigned', reason: 'congés' },
    });
    for (const body of [text, html]) expect(body).toContain('ou la remet en attribution. Son motif : « congés ».');
  });

  it.each([
    ['deadline', 'n’a pas été prise en charge dans le délai prévu'],
    ['reassigned', 'L’animation du réseau vous a retiré la demande'],
    ['unavailable', 'Vous êtes indiqué absent, ou ne recevez plus de demandes'],
  ])('says why a request is taken away: %s', (why, phrase) => {
    const { text, html } = composer.compose({
      template: 'assignment-withdrawn',
      subject: 'Demande GV-2026-000042 « Papier recyclé » : elle vous est retirée',
      context: { firstName: 'Sacha', reference: 'GV-2026-000042', subject: 'Papier recyclé', why },
    });
    for (const body of [text, html]) {
      expect(body).toContain(phrase);
      expect(body).toContain('Papier recyclé');
    }
  });

  it('names the domain a transferred request goes to, whose facilitator will take it (it may wait in the pool first)', () => {
    const { text, html } = composer.compose({
      template: 'assignment-withdrawn',
      subject: 'Demande GV-2026-000042 « Papier recyclé » : elle vous est retirée',
      context: {
        firstName: 'Sacha',
        reference: 'GV-2026-000042',
        subject: 'Papier recyclé',
        why: 'transferred',
        targetKindLabel: 'Clauses sociales',
      },
    });
    for (const body of [text, html])
      expect(body).toContain('elle la transfère au domaine « Clauses sociales » du guichet, dont un facilitateur la reprendra.');
  });

  it.each([
    ['a draft left: where it stays to read', 'https://guichet.example/espace/brouillons', true],
    ['no draft: nothing said of one', undefined, false],
  ])('%s', (_case, leftDraftsUrl, told) => {
    const { text, html } = composer.compose({
      template: 'assignment-withdrawn',
      subject: 'Demande GV-2026-000042 « Papier recyclé » : elle vous est retirée',
      context: { firstName: 'Sacha', reference: 'GV-2026-000042', subject: 'Papier recyclé', why: 'reassigned', leftDraftsUrl },
    });
    expect(
      text.includes(
        'Votre brouillon de réponse à cette demande reste lisible, pour en copier le texte, dans « Mes brouillons laissés » : https://guichet.example/espace/brouillons',
      ),
    ).toBe(told);
    expect(html.includes('<a href="https://guichet.example/espace/brouillons">https://guichet.example/espace/brouillons</a>')).toBe(told);
    expect(text).not.toMatch(/\n{3,}/);
  });
});

describe('the network escalation', () => {
  const composer = new MailComposer();
  const escalated = (reference: string, where: Record<string, unknown>) => ({
    reference,
    subject: 'Cantine <bio> & locale',
    kindLabel: 'Considérations environnementales',
    department: '57 — Moselle',
    misses: 2,
    missedBy: ['Camille Martin', 'Hélène Durand'],
    nowWith: null,
    inPool: false,
    statusLabel: null,
    requestUrl: `http://localhost:3000/espace/demandes/${reference}`,
    ...where,
  });
  const digest = (requests: Array<ReturnType<typeof escalated>>, total = requests.length) =>
    composer.compose({
      template: 'network-escalation',
      subject: `${total} demandes en retard de prise en charge dans le réseau Grand Est`,
      context: { networkName: 'Réseau Grand Est', total, requests, queueUrl: 'http://localhost:3000/espace' },
    });

  it('names each request, who let its deadline pass and where it is now, its subject escaped', () => {
    const { text, html } = digest(
      [
        escalated('GV-2026-000042', { nowWith: 'Dominique Petit' }),
        escalated('GV-2026-000043', { inPool: true, misses: 3 }),
        escalated('GV-2026-000044', { statusLabel: 'Clôturée' }),
      ],
      55,
    );
    expect(text).toContain('55 demandes du réseau Grand Est n’ont pas été prises en charge dans le délai, plusieurs fois de suite :');
    expect(text).toContain('- GV-2026-000042 « Cantine <bio> & locale » — Considérations environnementales, 57 — Moselle');
    expect(text).toContain('Délai dépassé 2 fois, laissé passer par Camille Martin, puis Hélène Durand');
    expect(text).toContain('Maintenant confiée à Dominique Petit');
    expect(text).toContain('Délai dépassé 3 fois');
    expect(text).toContain('Aucun autre facilitateur ne pouvait la prendre : elle attend dans la réserve du réseau');
    expect(text).toContain('Maintenant : Clôturée');
    expect(text).toContain('Et 52 autres : votre espace liste celles qui ne sont toujours pas prises en charge.');
    expect(text).toContain('qu’elles seront bien traitées, depuis votre espace : http://localhost:3000/espace');
    expect(html).toContain('« Cantine &lt;bio&gt; &amp; locale »');
    expect(html).not.toContain('<bio>');
    expect(html).toContain('Maintenant confiée à <strong>Dominique Petit</strong>');
  });

  it('one request alone reads as such, with nobody named when no miss is on record', () => {
    const { text } = digest([escalated('GV-2026-000042', { nowWith: 'Dominique Petit', missedBy: [] })]);
    expect(text).toContain('Une demande du réseau Grand Est n’a pas été prise en charge dans le délai, plusieurs fois de suite :');
    expect(text).toContain('Délai dépassé 2 fois\n');
    expect(text).toContain('qu’elle sera bien traitée');
    expect(text).not.toMatch(/^Et /m);
  });

  // Queued before the digest: one request, at the top level of the context.
  const former = (nowWith: string | null | undefined) =>
    composer.compose({
      template: 'network-escalation',
      subject: 'Demande GV-2026-000042 « Cantine » : délai de prise en charge dépassé 2 fois',
      context: {
        networkName: 'Réseau Grand Est',
        reference: 'GV-2026-000042',
        subject: 'Cantine',
        kindLabel: 'Considérations environnementales',
        department: '57 — Moselle',
        misses: 2,
        requestUrl: 'http://localhost:3000/espace/demandes/GV-2026-000042',
        ...(nowWith === undefined ? {} : { nowWith }),
      },
    });

  it.each([
    ['Dominique', 'Maintenant confiée à Dominique'],
    [null, 'Aucun autre facilitateur ne pouvait la prendre : elle attend dans la réserve du réseau'],
    [undefined, 'Confiée au facilitateur suivant, ou placée dans la réserve s’il n’y en a pas'],
  ])('a message queued before the digest still says where the request went (%s)', (nowWith, expected) => {
    const { text, html } = former(nowWith);
    expect(text).toContain('- GV-2026-000042 « Cantine » — Considérations environnementales, 57 — Moselle');
    expect(text).toContain(expected);
    expect(text).toContain('depuis votre espace : http://localhost:3000/espace/demandes/GV-2026-000042');
    expect(html).toContain(expected.replace('Dominique', '<strong>Dominique</strong>'));
  });
});

describe('the network pool alert', () => {
  const composer = new MailComposer();
  const waitingRequest = (reference: string, departmentCode?: string) => ({
    reference,
    subject: 'Cantine',
    kindLabel: 'Considérations environnementales',
    department: departmentCode === '974' ? '974 — La Réunion' : '38 — Isère',
    ...(departmentCode ? { departmentCode } : {}),
    createdAt: '2027-12-20T09:00:00Z',
    givenBack: null,
  });
  const digest = (requests: Array<ReturnType<typeof waitingRequest>>) =>
    composer.compose({
      template: 'network-pool-alert',
      subject: `${requests.length} demandes en attente : aucun facilitateur disponible`,
      context: {
        networkName: 'Réseau Grand Est',
        announced: requests.length,
        unlisted: 0,
        waiting: requests.length,
        requests,
        workspaceUrl: 'http://localhost:3000/espace?tab=pool',
        facilitatorsUrl: 'http://localhost:3000/espace/facilitateurs',
      },
    });

  it('dates each submission in its département’s time, named when it is not Paris’s; a message queued before, in Paris time', () => {
    const { text, html } = digest([waitingRequest('GV-2027-000001', '974'), waitingRequest('GV-2027-000002', '38')]);
    for (const body of [text, html]) {
      expect(body).toContain('La Réunion, déposée le 20 décembre 2027 à 13:00 (heure de La Réunion)');
      expect(body).toContain('Isère, déposée le 20 décembre 2027 à 10:00');
      expect(body).not.toContain('10:00 (heure');
    }
    expect(digest([waitingRequest('GV-2027-000003')]).text).toContain('déposée le 20 décembre 2027 à 10:00\n');
  });
});

describe('MailComposer, buyer-email-changed', () => {
  const composer = new MailComposer();

  it('tells the former address which request, when, by which network, to which masked address, and whom to write to', () => {
    const { text, html } = composer.compose(addressChanged());
    expect(text).toContain(
      'L’adresse électronique qui sert à suivre votre demande GV-2026-000042 (« Papier recyclé ») a été changée le 31 mars 2026 par le guichet vert du réseau Grand Est. Les messages sur cette demande, et son lien de suivi, vont désormais à c•••@exemple.fr, et plus à cette adresse.',
    );
    expect(text).toContain(
      'Vous ne l’avez pas demandé ? Écrivez sans attendre au réseau Grand Est, à contact@achats-responsables-grandest.fr, en indiquant la référence GV-2026-000042, pour que votre adresse soit rétablie.',
    );
    expect(html).toContain('vont désormais à <strong>c•••@exemple.fr</strong>, et plus à cette adresse.');
    expect(html).toContain(
      '<a href="mailto:contact@achats-responsables-grandest.fr">contact@achats-responsables-grandest.fr</a>, en indiquant la référence <strong style="white-space: nowrap">GV-2026-000042</strong>',
    );
  });

  it('dates the change in the request’s own time', () => {
    const { text, html } = composer.compose(addressChanged({ departmentCode: '974' }));
    expect(text).toContain('a été changée le 1er avril 2026 par');
    expect(html).toContain('a été changée le <strong>1er avril 2026</strong> par');
  });

  it('a network without a contact address is still named as the one to tell', () => {
    const { text, html } = composer.compose(addressChanged({ contactEmail: null }));
    for (const body of [text, html]) {
      expect(body).toContain('Vous ne l’avez pas demandé ? Signalez-le sans attendre au réseau Grand Est, en indiquant la référence');
      expect(body).not.toContain('Écrivez sans attendre');
    }
  });
});

describe('MailComposer, network-escalation', () => {
  const composer = new MailComposer();
  const request = (n: number) => ({
    reference: `GV-2026-00004${n}`,
    subject: 'Papier recyclé',
    kindLabel: 'Considérations environnementales',
    department: '38 — Isère',
    misses: 2,
    missedBy: ['Alix Test', 'Bao Test'],
    nowWith: 'Camille Test',
    requestUrl: `http://localhost:3000/espace/demandes/GV-2026-00004${n}`,
  });

  it('leads « Et N autres » and its closing words to the queue of the network’s escalated requests', () => {
    const queueUrl = 'http://localhost:3000/espace?network=aura-ee&escalated=1';
    const { text, html } = composer.compose({
      template: 'network-escalation',
      subject: '3 demandes en retard de prise en charge dans le réseau AURA-EE',
      context: { networkName: 'AURA-EE', total: 3, requests: [request(1)], queueUrl },
    });
    const link = '<a href="http://localhost:3000/espace?network=aura-ee&amp;escalated=1">votre espace</a>';
    expect(html).toContain(`Et 2 autres : ${link} liste celles qui ne sont toujours pas prises en charge.`);
    expect(html).toContain(`qu’elles seront bien traitées, depuis ${link}.`);
    expect(text).toContain(`qu’elles seront bien traitées, depuis votre espace : ${queueUrl}`);
  });

  it('says « une autre » of one request left unnamed', () => {
    const { text } = composer.compose({
      template: 'network-escalation',
      subject: '2 demandes en retard de prise en charge dans le réseau AURA-EE',
      context: { networkName: 'AURA-EE', total: 2, requests: [request(1)], queueUrl: 'http://localhost:3000/espace' },
    });
    expect(text).toContain('Et une autre : votre espace liste celles qui ne sont toujours pas prises en charge.');
  });
});
