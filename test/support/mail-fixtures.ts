/** An acknowledgement as intake queues it (template, subject, context), for tests of composing and sending mail. */
export function acknowledgementMessage(context: Record<string, unknown> = {}) {
  return {
    template: 'request-acknowledgement',
    subject: 'Votre demande GV-2026-000042 « Papier recyclé » est bien reçue — Guichet vert',
    context: {
      firstName: 'Camille',
      reference: 'GV-2026-000042',
      subject: 'Papier recyclé',
      question: 'Comment exiger du papier recyclé sans écarter les petites entreprises ?',
      kindPhrase: 'du réseau régional de l’achat public durable',
      trackingUrl: 'http://localhost:3000/suivi/GV-2026-000042?t=jeton',
      takeChargeDays: 5,
      answerDays: 15,
      ...context,
    },
  };
}
