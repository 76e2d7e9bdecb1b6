import type { PendingOutboxEvent } from './outbox.repository';
import { JOB_BATCHES, JobName } from './queue.registry';

export interface JobToAdd {
  name: string;
  data: Record<string, unknown>;
  opts: { jobId: string; delay?: number };
}

type JobBatch = (typeof JOB_BATCHES)[keyof typeof JOB_BATCHES];

function batchOf(event: PendingOutboxEvent): JobBatch | undefined {
  return event.delayMs ? undefined : (JOB_BATCHES as Partial<Record<string, JobBatch>>)[event.jobName];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The BullMQ jobs for a batch of outbox rows, by queue, in row order. Immediate rows of a batchable
 * job become one job listing their ids when there are several; a lone row, a delayed one, or any
 * other job is published as it was written. A batch's job id names its first row and its size, so a
 * relay that publishes the same rows again after a crash adds nothing new.
 */
export function jobsToPublish(events: readonly PendingOutboxEvent[]): Map<string, JobToAdd[]> {
  const groups = new Map<string, PendingOutboxEvent[]>();
  for (const event of events) if (batchOf(event)) push(groups, event.jobName, event);
  const byQueue = new Map<string, JobToAdd[]>();
  for (const event of events) {
    const batch = batchOf(event);
    const group = groups.get(event.jobName);
    if (!batch || !group || group.length < 2) {
      push(byQueue, event.queue, {
        name: event.jobName,
        data: event.payload,
        opts: { jobId: event.jobId, delay: event.delayMs || undefined },
      });
    } else if (group[0] === event) {
      const name: JobName = batch.batchJob;
      push(byQueue, event.queue, {
        name,
        data: { [batch.idsKey]: group.map((e) => e.payload[batch.idKey]) },
        opts: { jobId: `${name}-${event.id}-${group.length}` },
      });
    }
  }
  return byQueue;
}
