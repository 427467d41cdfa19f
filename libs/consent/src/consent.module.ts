import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@poc/audit';
import { ConsentEventEntity } from './consent-event.entity';
import { ConsentLedgerRepository } from './consent-ledger.repository';
import { ConsentService } from './consent.service';
import { MyConsentsController } from './my-consents.controller';

@Module({
  imports: [AuditModule, TypeOrmModule.forFeature([ConsentEventEntity])],
  controllers: [MyConsentsController],
  providers: [ConsentService, ConsentLedgerRepository],
  exports: [ConsentService],
})
export class ConsentModule {}
