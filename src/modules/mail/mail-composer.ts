import { Environment, FileSystemLoader } from 'nunjucks';
import { join } from 'node:path';
import { addFrenchFilters } from '../../common/french-format';
import { addRichTextFilter } from '../requests/rich-text';

export interface ComposedMail {
  text: string;
  html: string;
  /** The page that stops this kind of message, for the List-Unsubscribe header mail clients show as a button. */
  unsubscribeUrl?: string;
}

const ORIGIN = 'Ce message vous est envoyé par le guichet vert des réseaux régionaux de l’achat public durable.';
// Replies go to a no-reply address: each reader is told where their answer is read instead.
const FOOTERS = {
  buyer: `${ORIGIN} Merci de ne pas y répondre directement : utilisez le lien de suivi de votre demande.`,
  // The survey's e-mail carries no tracking link: its questionnaire has room for a comment.
  survey: `${ORIGIN} Merci de ne pas y répondre directement : le questionnaire a une place pour vos commentaires.`,
  staff: `${ORIGIN} Merci de ne pas y répondre directement : agissez depuis l’espace du guichet vert.`,
  // An address that has no request: no tracking link to point to.
  noRequest: `${ORIGIN} Merci de ne pas y répondre directement : pour une question, déposez une demande sur le site du guichet vert.`,
  // Told to the buyer's former address: its tracking link may be in other hands now, their network is whom to write to.
  network: `${ORIGIN} Merci de ne pas y répondre directement : écrivez à votre réseau, comme indiqué ci-dessus.`,
  // A network's message sent to its contact address: its reader has no account to act with, the links ask for one.
  networkContact: `${ORIGIN} Il est envoyé à l’adresse de contact du réseau, qui n’a pas encore d’animateur inscrit : pour agir depuis l’espace du guichet vert (confier une demande, ajouter un facilitateur), demandez un compte d’animateur à un administrateur du guichet vert. Merci de ne pas répondre directement à ce message.`,
};

/**
 * Every template with the footer its reader gets. Named one by one, none by default: a buyer's message ending « agissez
 * depuis l’espace » (a precision reminder did) tells them of a place they cannot enter.
 */
export const TEMPLATE_FOOTERS: Readonly<Record<string, keyof typeof FOOTERS>> = {
  'request-acknowledgement': 'buyer',
  'buyer-update': 'buyer',
  'buyer-split': 'buyer',
  'buyer-precision-reminder': 'buyer',
  'buyer-tracking-link': 'buyer',
  'tracking-links': 'buyer',
  'tracking-links-none': 'noRequest',
  survey: 'survey',
  'survey-group': 'survey',
  'buyer-email-changed': 'network',
  'answer-reminder': 'staff',
  'assignment-withdrawn': 'staff',
  'evaluation-shared': 'staff',
  'facilitator-assignment': 'staff',
  'facilitator-buyer-message': 'staff',
  'facilitator-overdue-answers': 'staff',
  'facilitator-reminders': 'staff',
  'facilitator-withdrawals': 'staff',
  'network-absence': 'staff',
  'network-escalation': 'staff',
  'network-overdue-answers': 'staff',
  'network-pool-alert': 'staff',
  'password-reset': 'staff',
  'request-reopened': 'staff',
  'staff-email-changed': 'staff',
  'staff-invitation': 'staff',
  'take-charge-reminder': 'staff',
};

/** Renders a template pair: `<name>.text.njk` as plain text and `<name>.html.njk` escaped, each with the footer for its reader. */
export class MailComposer {
  private readonly html = addRichTextFilter(
    addFrenchFilters(new Environment(new FileSystemLoader(join(__dirname, 'templates')), { autoescape: true })),
    true,
  );
  private readonly text = addRichTextFilter(
    addFrenchFilters(new Environment(new FileSystemLoader(join(__dirname, 'templates')), { autoescape: false })),
    false,
  );

  /** A queued message as it is sent: its template, given its context and its subject. */
  compose(message: { template: string; subject: string; context: Record<string, unknown> }): ComposedMail {
    const reader = TEMPLATE_FOOTERS[message.template];
    if (!reader) throw new Error(`Modèle de courriel sans lecteur déclaré : ${message.template}`);
    const mailFooter = FOOTERS[message.context.toNetworkContact === true ? 'networkContact' : reader];
    const context = { ...message.context, mailSubject: message.subject, mailFooter };
    return {
      // Sections a message leaves out (no help items, no files) leave their line breaks: one blank line at most.
      text: `${this.text
        .render(`${message.template}.text.njk`, context)
        .replace(/\n{3,}/g, '\n\n')
        .trimEnd()}\n\n-- \n${mailFooter}\n`,
      html: this.html.render(`${message.template}.html.njk`, context),
      ...(typeof message.context.declineUrl === 'string' ? { unsubscribeUrl: message.context.declineUrl } : {}),
    };
  }
}
