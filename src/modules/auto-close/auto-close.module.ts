import { Module } from '@nestjs/common';
import { BuyerNotificationsModule } from '../buyer-notifications/buyer-notifications.module';
import { RequestsModule } from '../requests/requests.module';
import { RoutingModule } from '../routing/routing.module';
import { SurveysModule } from '../surveys/surveys.module';
import { AutoCloseProcessor } from './auto-close.processor';
import { AutoCloseService } from './auto-close.service';
import { LifecycleSweepService } from './lifecycle-sweep.service';

@Module({
  imports: [RequestsModule, RoutingModule, BuyerNotificationsModule, SurveysModule],
  providers: [AutoCloseService, AutoCloseProcessor],
  exports: [AutoCloseService, AutoCloseProcessor, BuyerNotificationsModule],
})
export class AutoCloseModule {}

/** The worker role adds the sweep. */
@Module({ imports: [AutoCloseModule], providers: [LifecycleSweepService], exports: [LifecycleSweepService, AutoCloseModule] })
export class AutoCloseWorkerModule {}
