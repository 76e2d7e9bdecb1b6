import { Module } from '@nestjs/common';
import { SealedValuesRepository } from './sealed-values.repository';
import { SecretRotationService } from './secret-rotation.service';

@Module({
  providers: [SealedValuesRepository, SecretRotationService],
  exports: [SecretRotationService],
})
export class SecretRotationModule {}
