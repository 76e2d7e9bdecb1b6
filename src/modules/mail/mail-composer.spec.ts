import { acknowledgementMessage } from '../../../test/support/mail-fixtures';
import { MailComposer } from './mail-composer';

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

describe('MailComposer', () => {
  const composer = new MailComposer();

  it.each([
    [acknowledgement, 'utilisez le lien de suivi de votre demande.'],
    [invitation, 'agissez depuis l’espace du guichet vert.'],
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
