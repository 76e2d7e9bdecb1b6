import { Injectable } from '@nestjs/common';
import { JobHandlers } from '../../queue/queue.registry';
import { JobProcessor } from '../../queue/worker-host';
import { MailService } from './mail.service';

@Injectable()
export class MailProcessor implements JobProcessor {
  constructor(private readonly mail: MailService) {}

  handlers(): JobHandlers {
    return {
      'mail.send': ({ mailId }) => this.mail.deliver(mailId),
      'mail.send-batch': ({ mailIds }) => this.mail.deliverAll(mailIds),
    };
  }
}
