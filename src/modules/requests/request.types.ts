/** The words of the request, shared by the intake, the tracking pages and (later) routing. */
export const REQUEST_KINDS = ['environmental', 'social_clause'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export function isRequestKind(value: unknown): value is RequestKind {
  return (REQUEST_KINDS as readonly unknown[]).includes(value);
}

/** The kind a transfer gives a request: the other desk's. */
export function otherKind(kind: RequestKind): RequestKind {
  return kind === 'environmental' ? 'social_clause' : 'environmental';
}

export const ORGANISATION_TYPES = [
  'state_administration',
  'state_public_body',
  'local_authority',
  'hospital',
  'social_housing',
  'other_public',
  'private_subject',
  'private_not_subject',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const PURCHASE_STAGES = [
  'need_definition',
  'sourcing',
  'drafting_tender',
  'consultation_published',
  'bid_analysis',
  'contract_execution',
] as const;
export type PurchaseStage = (typeof PURCHASE_STAGES)[number];

export const REQUEST_STATUSES = ['submitted', 'assigned', 'unassigned', 'in_progress', 'awaiting_buyer', 'answered', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const KIND_LABELS: Record<RequestKind, string> = {
  environmental: 'Considérations environnementales',
  social_clause: 'Clauses sociales',
};

export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  state_administration: 'Administration de l’État',
  state_public_body: 'Établissement public de l’État',
  local_authority: 'Collectivité territoriale ou groupement',
  hospital: 'Établissement de santé',
  social_housing: 'Organisme de logement social',
  other_public: 'Autre acheteur public',
  private_subject: 'Entité privée soumise au code de la commande publique',
  private_not_subject: 'Entreprise privée non soumise au code de la commande publique',
};

export const PURCHASE_STAGE_LABELS: Record<PurchaseStage, string> = {
  need_definition: 'Définition du besoin',
  sourcing: 'Sourçage',
  drafting_tender: 'Rédaction du DCE',
  consultation_published: 'Consultation publiée',
  bid_analysis: 'Analyse des offres',
  contract_execution: 'Exécution du marché',
};

export const STATUS_LABELS: Record<RequestStatus, string> = {
  submitted: 'Reçue',
  assigned: 'Confiée à un facilitateur',
  unassigned: 'En attente d’un facilitateur disponible',
  in_progress: 'En cours de traitement',
  awaiting_buyer: 'En attente de votre précision',
  answered: 'Réponse envoyée',
  closed: 'Clôturée',
};

/** The same statuses as staff read them: the buyer's « votre précision » is theirs to give. */
export const STAFF_STATUS_LABELS: Record<RequestStatus, string> = { ...STATUS_LABELS, awaiting_buyer: 'En attente de l’acheteur' };

export const CLOSE_REASONS = ['answered', 'redirected', 'duplicate', 'withdrawn', 'no_reply'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  answered: 'Réponse apportée',
  redirected: 'Réorientée (hors du champ du guichet)',
  duplicate: 'Doublon d’une autre demande',
  withdrawn: 'Retirée par l’acheteur',
  no_reply: 'Sans nouvelle de l’acheteur',
};

/** The same reasons as the buyer reads them, addressed to them (« de votre part », not « de l’acheteur »). */
export const BUYER_CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  answered: 'Réponse apportée',
  redirected: 'Réorientée (hors du champ du guichet)',
  duplicate: 'Doublon d’une autre de vos demandes',
  withdrawn: 'Retirée à votre demande',
  no_reply: 'Sans réponse de votre part dans le délai',
};

/** Why a buyer withdraws (optional, asked on the confirmation page): the network learns what it loses requests to. */
export const WITHDRAWAL_REASONS = ['answered_elsewhere', 'purchase_dropped', 'too_slow', 'sent_twice', 'other'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

/** As the buyer chooses them, and as staff read them in the history and the facilitator's e-mail. */
export const WITHDRAWAL_REASON_LABELS: Record<WithdrawalReason, string> = {
  answered_elsewhere: 'J’ai trouvé la réponse ailleurs',
  purchase_dropped: 'Le projet d’achat est abandonné ou reporté',
  too_slow: 'La réponse tarde trop pour mon calendrier',
  // The same question sent twice (a double click, a second tab): the other request is the one to follow.
  sent_twice: 'Je l’ai envoyée en double',
  other: 'Une autre raison',
};

/** What can happen to a request, with its French label; request-state.policy.ts says from which status and to which. */
export const ACTION_LABELS = {
  route_assigned: 'Confier à un facilitateur',
  route_unassigned: 'Mettre en attente d’un facilitateur disponible',
  take_charge: 'Prendre en charge',
  give_back: 'Rendre la demande',
  request_clarification: 'Demander une précision à l’acheteur',
  buyer_clarified: 'Précision apportée par l’acheteur',
  answer: 'Répondre',
  buyer_replied_to_answer: 'Réponse de l’acheteur',
  buyer_added_information: 'Information ajoutée par l’acheteur',
  buyer_resolved: 'Ma question est résolue',
  close: 'Clôturer',
  withdraw: 'Retirer ma demande',
  transfer: 'Transférer vers l’autre type de facilitateur',
  split: 'Scinder en plusieurs demandes',
  reassign: 'Confier à un autre facilitateur',
  reroute: 'Remettre en attribution automatique',
  reopen: 'Rouvrir',
} as const;
export type RequestAction = keyof typeof ACTION_LABELS;
export const REQUEST_ACTIONS = Object.keys(ACTION_LABELS) as RequestAction[];

/** Public event of a request moved to another facilitator (other kind, or reassigned); its reason is for the buyer. */
export const HANDED_OVER_EVENT = 'handed_over';
