import pino from 'pino';
import { Clock } from '../../src/common/clock';
import { HttpFirst } from '../../src/queue/http-first';
import { OutboxRelay } from '../../src/queue/outbox.relay';
import { OutboxRepository } from '../../src/queue/outbox.repository';
import { QueueService } from '../../src/queue/queue.service';
import { TestApp } from './test-app';

/** A relay without its timer, publishing when the test says (the api alone runs none). */
export function manualRelay(t: TestApp): OutboxRelay {
  return new OutboxRelay(
    t.dataSource,
    t.app.get(OutboxRepository),
    t.app.get(QueueService),
    new HttpFirst('none'),
    t.app.get(Clock),
    t.config,
    pino({ level: 'silent' }),
  );
}
