import { Global, Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository';
import { QueueService } from './queue.service';

@Global()
@Module({ providers: [OutboxRepository, QueueService], exports: [OutboxRepository, QueueService] })
export class QueueModule {}
