import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@poc/audit';
import { AuthModule } from '@poc/auth';
import { ConsentEventEntity } from './consent-event.entity';
import { ConsentLedgerRepository } from './consent-ledger.repository';
import { ConsentService } from './consent.service';
import { MarketingAudienceController } from './marketing-audience.controller';
import { MarketingAudienceService } from './marketing-audience.service';
import { MyConsentsController } from './my-consents.controller';

@Module({
  imports: [AuditModule, AuthModule, TypeOrmModule.forFeature([ConsentEventEntity])],
  controllers: [MyConsentsController, MarketingAudienceController],
  providers: [ConsentService, ConsentLedgerRepository, MarketingAudienceService],
  exports: [ConsentService],
})
export class ConsentModule {}
