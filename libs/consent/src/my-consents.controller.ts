import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@poc/auth';
import { ConsentChoicesDto, ConsentStateResponse } from './consent.dto';
import { ConsentService } from './consent.service';

@ApiTags('patient')
@Controller('v1/me/consents')
@Roles('patient')
export class MyConsentsController {
  constructor(private readonly consents: ConsentService) {}

  @Get()
  @ApiOkResponse({ type: ConsentStateResponse })
  get(@CurrentUser() caller: Principal): Promise<ConsentStateResponse> {
    return this.consents.readBy(caller);
  }

  @Put()
  @ApiOkResponse({ type: ConsentStateResponse })
  change(@CurrentUser() caller: Principal, @Body() body: ConsentChoicesDto): Promise<ConsentStateResponse> {
    return this.consents.changeBy(caller, body);
  }
}
