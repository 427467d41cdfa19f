import { LimitQuery } from '@poc/common';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { IsISO8601 } from 'class-validator';
import {
  DeviceLocationsResponse,
  DeviceTelemetryResponse,
  IngestStatsResponse,
  InternalDeviceRecordResponse,
  RejectedMessagesResponse,
  StatedReasonQuery,
  TelemetryQuery,
  TimeRangeQuery,
} from './internal-devices.dto';
import { TelemetryReadService } from './telemetry-read.service';

class SinceQuery {
  @ApiProperty({ type: String, format: 'date-time' }) @IsISO8601({ strict: true }) since!: string;
}

@ApiTags('internal')
@Controller('v1/internal')
export class InternalDevicesController {
  constructor(private readonly reads: TelemetryReadService) {}

  @Get('devices/:serialNumber')
  @Roles('support', 'field_service', 'privacy_officer', 'admin')
  @ApiOkResponse({ type: InternalDeviceRecordResponse })
  device(
    @CurrentUser() caller: Principal,
    @Param('serialNumber') serialNumber: string,
    @Query() query: StatedReasonQuery,
  ) {
    return this.reads.deviceRecord(caller, serialNumber, query.reason);
  }

  @Get('devices/:serialNumber/telemetry')
  @Roles('support', 'admin')
  @ApiOkResponse({ type: DeviceTelemetryResponse })
  telemetry(
    @CurrentUser() caller: Principal,
    @Param('serialNumber') serialNumber: string,
    @Query() query: TelemetryQuery,
  ) {
    return this.reads.telemetry(caller, serialNumber, query);
  }

  @Get('devices/:serialNumber/locations')
  @Roles('support', 'field_service', 'admin')
  @ApiOkResponse({ type: DeviceLocationsResponse })
  locations(
    @CurrentUser() caller: Principal,
    @Param('serialNumber') serialNumber: string,
    @Query() query: TimeRangeQuery,
  ) {
    return this.reads.locations(caller, serialNumber, query);
  }

  @Get('devices/:serialNumber/rejected')
  @Roles('support', 'admin')
  @ApiOkResponse({ type: RejectedMessagesResponse })
  rejected(@CurrentUser() caller: Principal, @Param('serialNumber') serialNumber: string, @Query() query: LimitQuery) {
    return this.reads.rejected(caller, serialNumber, query.limit ?? 100);
  }

  /** Counts only (no patient data): what the simulator and benchmarks compare against what they sent. */
  @Get('ingest/stats')
  @Roles('admin')
  @ApiOkResponse({ type: IngestStatsResponse })
  stats(@Query() query: SinceQuery) {
    return this.reads.countsSince(new Date(query.since));
  }
}
