/**
 * The one registry of queues, jobs and their payloads. Payloads carry ids only (a digest's job, the time it was planned
 * for too): the facts are in PostgreSQL, and a processor reads them afresh, so a replayed job acts on the current state.
 */
export const QUEUE_NAMES = ['routing', 'mail', 'lifecycle', 'surveys'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  /** A request was submitted and waits to be routed. */
  'request.submitted': { requestId: string };
  /** Several submitted requests, published together by the outbox relay (see JOB_BATCHES). */
  'request.submitted-batch': { requestIds: string[] };
  /** A mail_messages row waits to be delivered. */
  'mail.send': { mailId: string };
  /** Several messages waiting for their first delivery, published together by the outbox relay. */
  'mail.send-batch': { mailIds: string[] };
  /**
   * The take-charge deadline of an assignment has come (delayed job; a sweep re-derives it). `requestId`: written by
   * earlier versions, still in the queue after an upgrade; nothing reads it.
   */
  'routing.deadline': { assignmentId: string; requestId?: string };
  /** A facilitator's availability changed (created, edited, absence added or removed). */
  'routing.facilitator-changed': { facilitatorId: string };
  /** Capacity may have freed in a network: try to assign its pool, oldest first. */
  'routing.drain-pool': { networkCode: string };
  /**
   * Requests fell into a network's pool: one message to its animators lists them (delayed to the end of the digest
   * period). `at`: the time it was planned for, in ms (absent from jobs queued by earlier versions).
   */
  'routing.pool-alert': { networkCode: string; at?: number };
  /** Requests of a network missed their take-charge deadline again: one message to its animators lists them (delayed likewise). */
  'routing.escalation-digest': { networkCode: string; at?: number };
  /** Something the buyer should hear of changed (delayed and deduplicated: quick changes make one e-mail). */
  'buyer.notify': { requestId: string };
  /** The reply window of an answered request, or of a precision asked, may be over (delayed; a sweep re-derives it). */
  'request.auto-close': { requestId: string };
  /** A follow-up survey's next step (send, remind, expire) may be due (delayed; a sweep re-derives it). */
  'survey.due': { surveyId: string };
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUES: { readonly [J in JobName]: QueueName } = {
  'request.submitted': 'routing',
  'request.submitted-batch': 'routing',
  'mail.send': 'mail',
  'mail.send-batch': 'mail',
  'routing.deadline': 'routing',
  'routing.facilitator-changed': 'routing',
  'routing.drain-pool': 'routing',
  'routing.pool-alert': 'routing',
  'routing.escalation-digest': 'routing',
  'buyer.notify': 'lifecycle',
  'request.auto-close': 'lifecycle',
  'survey.due': 'surveys',
};

/**
 * Jobs of one id that the outbox relay publishes as one job listing the ids when several are due
 * together: a burst of submissions then costs the queue a few jobs, not two per request.
 */
export const JOB_BATCHES = {
  'request.submitted': { batchJob: 'request.submitted-batch', idKey: 'requestId', idsKey: 'requestIds' },
  'mail.send': { batchJob: 'mail.send-batch', idKey: 'mailId', idsKey: 'mailIds' },
} as const satisfies { [J in JobName]?: { batchJob: JobName; idKey: keyof JobPayloads[J]; idsKey: string } };

export type JobHandler<J extends JobName> = (payload: JobPayloads[J]) => Promise<void>;
export type JobHandlers = { [J in JobName]?: JobHandler<J> };

/** Queues whose jobs have a handler in this version; the others are only produced. */
export function consumedQueues(handlers: JobHandlers): QueueName[] {
  const queues = new Set<QueueName>();
  for (const job of Object.keys(handlers) as JobName[]) queues.add(JOB_QUEUES[job]);
  return [...queues];
}

/**
 * Refuses a worker that would consume a queue without a handler for every job of it: such jobs
 * would otherwise fail silently at run time.
 */
export function assertHandlersComplete(handlers: JobHandlers): void {
  const missing = (Object.keys(JOB_QUEUES) as JobName[]).filter(
    (job) => consumedQueues(handlers).includes(JOB_QUEUES[job]) && !handlers[job],
  );
  if (missing.length) throw new Error(`Jobs sans processeur : ${missing.join(', ')}`);
}
