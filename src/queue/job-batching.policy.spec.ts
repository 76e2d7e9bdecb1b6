import { jobsToPublish } from './job-batching.policy';
import type { PendingOutboxEvent } from './outbox.repository';

const submitted = (id: string, requestId: string): PendingOutboxEvent => ({
  id,
  queue: 'routing',
  jobName: 'request.submitted',
  jobId: `request-submitted-${requestId}`,
  payload: { requestId },
  delayMs: 0,
});
const mail = (id: string, mailId: string, delayMs = 0): PendingOutboxEvent => ({
  id,
  queue: 'mail',
  jobName: 'mail.send',
  jobId: `mail-${mailId}`,
  payload: { mailId },
  delayMs,
});
const deadline = (id: string): PendingOutboxEvent => ({
  id,
  queue: 'routing',
  jobName: 'routing.deadline',
  jobId: `deadline-${id}`,
  payload: { assignmentId: 'a' },
  delayMs: 60_000,
});

/** Queue → [job name, payload, job id, delay] of each job, in publishing order. */
type Published = Record<string, Array<[string, Record<string, unknown>, string, number | undefined]>>;

describe('jobsToPublish', () => {
  it.each<[string, PendingOutboxEvent[], Published]>([
    ['nothing pending', [], {}],
    [
      'a lone submission keeps its own job',
      [submitted('1', 'r1')],
      { routing: [['request.submitted', { requestId: 'r1' }, 'request-submitted-r1', undefined]] },
    ],
    [
      'submissions and their e-mails due together make one job per kind, named by first row and size',
      [submitted('1', 'r1'), mail('2', 'm1'), submitted('3', 'r2'), mail('4', 'm2'), submitted('5', 'r3')],
      {
        routing: [['request.submitted-batch', { requestIds: ['r1', 'r2', 'r3'] }, 'request.submitted-batch-1-3', undefined]],
        mail: [['mail.send-batch', { mailIds: ['m1', 'm2'] }, 'mail.send-batch-2-2', undefined]],
      },
    ],
    [
      'a delayed retry stays a job of its own, and the one immediate message beside it too',
      [mail('1', 'm1', 2000), mail('2', 'm2')],
      {
        mail: [
          ['mail.send', { mailId: 'm1' }, 'mail-m1', 2000],
          ['mail.send', { mailId: 'm2' }, 'mail-m2', undefined],
        ],
      },
    ],
    [
      'jobs that are not batchable keep their place beside a batch',
      [deadline('1'), submitted('2', 'r1'), submitted('3', 'r2')],
      {
        routing: [
          ['routing.deadline', { assignmentId: 'a' }, 'deadline-1', 60_000],
          ['request.submitted-batch', { requestIds: ['r1', 'r2'] }, 'request.submitted-batch-2-2', undefined],
        ],
      },
    ],
  ])('%s', (_, events, expected) => {
    const published: Published = {};
    for (const [queue, jobs] of jobsToPublish(events)) {
      published[queue] = jobs.map((job) => [job.name, job.data, job.opts.jobId, job.opts.delay]);
    }
    expect(published).toEqual(expected);
  });
});
