import { Department, Network, Region, Segment } from '../modules/reference/reference.entities';
import { AdviceRequest, RequestEvent } from '../modules/requests/request.entities';
import { MailMessage } from '../modules/mail/mail-message.entity';
import { IdempotencyKey } from '../modules/intake/idempotency-key.entity';
import { OutboxEvent } from '../queue/outbox-event.entity';

export const ENTITIES = [Network, Region, Department, Segment, AdviceRequest, RequestEvent, MailMessage, IdempotencyKey, OutboxEvent];
