import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@poc/auth';
import { register } from 'prom-client';

@ApiTags('operations')
@Controller('metrics')
@Public()
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  metrics(): Promise<string> {
    return register.metrics();
  }
}
