/** The words of a request's written exchanges and of the help an answer carries. */
export const MESSAGE_KINDS = [
  'clarification_question',
  'buyer_clarification',
  'answer',
  'buyer_reply',
  'buyer_information',
  'closing_message',
  'internal_note',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The longest text staff write: answers, questions, notes, closing messages, and the answer templates they start from. */
export const STAFF_TEXT_MAX = 10_000;

/** Everything but internal notes is part of the conversation with the buyer. */
export const BUYER_VISIBLE_KINDS: readonly MessageKind[] = [
  'clarification_question',
  'buyer_clarification',
  'answer',
  'buyer_reply',
  'buyer_information',
  'closing_message',
];

export const MESSAGE_KIND_LABELS: Record<MessageKind, string> = {
  clarification_question: 'Demande de précision',
  buyer_clarification: 'Précision de l’acheteur',
  answer: 'Réponse',
  buyer_reply: 'Réponse de l’acheteur',
  buyer_information: 'Information ajoutée par l’acheteur',
  closing_message: 'Message de clôture',
  internal_note: 'Note interne',
};

/** How an answer that completes the one before it is named, on both sides. */
export const COMPLEMENT_LABEL = 'Complément à la réponse';

/** An answer right after an answer (no buyer message between them, internal notes aside) completes it. */
export function completesAnswer(messages: ReadonlyArray<{ kind: MessageKind }>, index: number): boolean {
  if (messages[index]?.kind !== 'answer') return false;
  return (
    messages
      .slice(0, index)
      .filter((message) => message.kind !== 'internal_note')
      .at(-1)?.kind === 'answer'
  );
}

/** How a precision asked and never given reads once the request no longer awaits it: not as a question still pending. */
export const DROPPED_QUESTION_LABEL = 'Demande de précision (plus attendue)';

/**
 * A precision asked that no buyer message followed, the request no longer awaiting it (transferred to the other
 * kind, answered or closed meanwhile): the question stays in the exchange, no longer asked.
 */
export function questionDropped(messages: ReadonlyArray<{ kind: MessageKind }>, index: number, awaitingBuyer: boolean): boolean {
  if (awaitingBuyer || messages[index]?.kind !== 'clarification_question') return false;
  return !messages.slice(index + 1).some((message) => BUYER_KINDS.includes(message.kind));
}

const BUYER_KINDS: readonly MessageKind[] = ['buyer_clarification', 'buyer_reply', 'buyer_information'];

/** The same, on the buyer's own page, where their messages are signed « Vous » (« Vous — Précision »). */
export const BUYER_MESSAGE_KIND_LABELS: Record<MessageKind, string> = {
  ...MESSAGE_KIND_LABELS,
  buyer_clarification: 'Précision',
  buyer_reply: 'Réponse',
  buyer_information: 'Information ajoutée',
};

export type MessageAuthorType = 'staff' | 'buyer';

export const HELP_ITEM_TYPES = ['guide', 'tender_file', 'regulation', 'peer', 'referral'] as const;
export type HelpItemType = (typeof HELP_ITEM_TYPES)[number];

export const HELP_ITEM_TYPE_LABELS: Record<HelpItemType, string> = {
  guide: 'Guide ou document',
  tender_file: 'Exemple de DCE',
  regulation: 'Rappel réglementaire',
  peer: 'Mise en relation avec un acheteur pair',
  // PLIE, maison de l’emploi or France Travail are no networks: the label fits every referral target.
  referral: 'Orientation vers une autre structure',
};

/** Where an answer may refer the buyer, from either desk: the environmental one's partners and the inclusion side's. */
export const REFERRAL_TARGETS = [
  'circular_economy',
  'social_clause',
  'environmental_adviser',
  'inclusion_structures',
  'employment_services',
  'place_des_entreprises',
  'other',
] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

export const REFERRAL_TARGET_LABELS: Record<ReferralTarget, string> = {
  circular_economy: 'Réseau d’économie circulaire',
  social_clause: 'Facilitateur de clauses sociales',
  environmental_adviser: 'Conseiller environnemental du réseau régional',
  inclusion_structures: 'Structures inclusives (SIAE, entreprises adaptées, ESAT)',
  employment_services: 'Maison de l’emploi, PLIE ou France Travail',
  place_des_entreprises: 'Conseillers-Entreprises (Place des Entreprises)',
  other: 'Autre',
};

/** A help item ready to store: the fields its type does not use are null. */
export interface HelpItem {
  type: HelpItemType;
  title: string | null;
  url: string | null;
  attachmentId: string | null;
  legalReferenceCode: string | null;
  peerName: string | null;
  peerOrganisation: string | null;
  peerContact: string | null;
  peerConsent: boolean | null;
  referralTarget: ReferralTarget | null;
  details: string | null;
}

/** A help item of `type` with only the given fields set. */
export function helpItemOf(type: HelpItemType, fields: Partial<Omit<HelpItem, 'type'>> = {}): HelpItem {
  return {
    type,
    title: null,
    url: null,
    attachmentId: null,
    legalReferenceCode: null,
    peerName: null,
    peerOrganisation: null,
    peerContact: null,
    peerConsent: null,
    referralTarget: null,
    details: null,
    ...fields,
  };
}
