import { isUuid } from '../common/validation';
import { MailService } from '../modules/mail/mail.service';
import { MailRepository } from '../modules/mail/mail.repository';
import type { CliCommand } from './cli-context';
import { parseOptions, refuse } from './users.command';

export const MAIL_RESEND_USAGE = 'mail:resend [--id <identifiant>]…';
const LISTED = 200;
const ABANDON_CAUSES = { permanent: 'refusé définitivement', expired: 'pas envoyé à temps' } as const;
const parisTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });

/** `mail:undelivered`: the messages given up (refused for good, or not sent in time), latest first, with why. */
export const mailUndelivered: CliCommand = async (context, _args, io) => {
  const { messages, total } = await context.get(MailRepository).abandoned(LISTED);
  if (!total) {
    io.stdout.write('Aucun message abandonné.\n');
    return 0;
  }
  const shown = total > messages.length ? ` (les ${messages.length} plus récents)` : '';
  io.stdout.write(`${total} message${total > 1 ? 's' : ''} abandonné${total > 1 ? 's' : ''}${shown} :\n`);
  for (const mail of messages) {
    io.stdout.write(
      `${parisTime.format(mail.abandonedAt)}  ${mail.id}  ${mail.reference ?? '—'}  ${mail.template}  ${mail.recipient}\n` +
        `    ${mail.abandonedBecause ? `${ABANDON_CAUSES[mail.abandonedBecause]} — ` : ''}${mail.lastError ?? 'sans motif enregistré'}\n`,
    );
  }
  io.stdout.write(
    `Une fois la cause réparée, pour les envoyer de nouveau : npm run cli -- ${MAIL_RESEND_USAGE}\n` +
      'Sans --id, les messages refusés définitivement ne partent pas : nommez-les une fois l’adresse corrigée.\n',
  );
  return 0;
};

/**
 * `mail:resend`: puts the messages given up back in the queue (those named, or all but the ones refused for good);
 * each is tried anew for MAIL_RETRY_HOURS by the workers. Exit code 1 when a named one is not a message given up.
 */
export const mailResend: CliCommand = async (context, args, io) => {
  const options = parseOptions(args, ['id']);
  if (typeof options === 'string') return refuse(io, options, MAIL_RESEND_USAGE);
  const ids = options.id ?? null;
  const malformed = ids?.filter((id) => !isUuid(id)) ?? [];
  if (malformed.length) return refuse(io, `identifiant invalide : ${malformed.join(', ')}`, MAIL_RESEND_USAGE);
  const { requeued, leftRefused } = await context.get(MailService).resendAbandoned(ids);
  io.stdout.write(
    requeued.length
      ? `${requeued.length} message${requeued.length > 1 ? 's' : ''} remis en file : les workers les envoient dans les minutes qui viennent.\n`
      : 'Aucun message abandonné à renvoyer.\n',
  );
  if (leftRefused) {
    const plural = leftRefused > 1 ? 's' : '';
    io.stdout.write(
      `${leftRefused} message${plural} refusé${plural} définitivement par le serveur de messagerie (adresse inconnue…) non renvoyé${plural} : ` +
        `corrigez l’adresse, puis nommez-l${leftRefused > 1 ? 'es' : 'e'} avec --id (liste : npm run cli -- mail:undelivered).\n`,
    );
  }
  const missed = ids?.filter((id) => !requeued.includes(id.toLowerCase())) ?? [];
  if (missed.length) {
    io.stderr.write(`Pas un message abandonné (envoyé, en cours, ou inconnu) : ${missed.join(', ')}\n`);
    return 1;
  }
  return 0;
};
