import { Module } from '@nestjs/common';
import { AuditModule } from '@poc/audit';
import { AuthModule } from '@poc/auth';
import { ConsentModule } from '@poc/consent';
import { DevicesModule } from '@poc/devices';
import { ErasureRepository } from './erasure.repository';
import { PersonalDataExport } from './personal-data.export';
import { PersonalDataQuery } from './personal-data.query';
import { LegalHoldsRepository } from './legal-holds.repository';
import { LegalHoldsService } from './legal-holds.service';
import { OwnAccountService } from './own-account.service';
import { ProviderNoticesController } from './provider-notices.controller';
import { ProviderNoticesRepository } from './provider-notices.repository';
import { ProviderNoticesService } from './provider-notices.service';
import {
  LegalHoldsController,
  MyPrivacyController,
  PatientAccountsController,
  PrivacyRequestsQueueController,
  RetentionController,
} from './privacy.controllers';
import { RetentionJob } from './retention.job';
import { RetentionRepository } from './retention.repository';
import { PrivacyRequestsRepository } from './privacy-requests.repository';
import { PrivacyRequestsService } from './privacy-requests.service';

@Module({
  imports: [AuditModule, AuthModule, ConsentModule, DevicesModule],
  controllers: [
    MyPrivacyController,
    PatientAccountsController,
    PrivacyRequestsQueueController,
    LegalHoldsController,
    RetentionController,
    ProviderNoticesController,
  ],
  providers: [
    PrivacyRequestsService,
    PrivacyRequestsRepository,
    ErasureRepository,
    PersonalDataExport,
    PersonalDataQuery,
    LegalHoldsRepository,
    LegalHoldsService,
    OwnAccountService,
    ProviderNoticesRepository,
    ProviderNoticesService,
    RetentionJob,
    RetentionRepository,
  ],
})
export class PrivacyModule {}
