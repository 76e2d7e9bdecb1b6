import { AuditModule } from '../audit/audit.module';
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { NetworksPagesController } from './networks-pages.controller';
import { NetworksRepository } from './networks.repository';
import { NetworksService } from './networks.service';

/** The networks' page: territory, people, and the contact address kept by their animators and admins. */
@Module({
  imports: [AccountsModule, AuditModule],
  providers: [NetworksRepository, NetworksService],
  controllers: [NetworksPagesController],
})
export class NetworksModule {}
