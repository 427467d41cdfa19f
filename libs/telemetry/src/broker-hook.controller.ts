import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BrokerHook } from '@poc/auth';
import { BrokerAclRequest, BrokerAuthRequest, BrokerVerdict } from './broker-hook.dto';
import { BrokerHookRules } from './broker-hook.rules';

const verdict = (allowed: boolean): BrokerVerdict => ({
  result: allowed ? 'allow' : 'deny',
  ok: allowed,
  is_superuser: false,
});

/**
 * The authentication and authorization hook an external broker calls (EMQX, mosquitto-go-auth): always
 * 200 with a verdict, so that a refusal is a refusal and never "ask the next authenticator".
 */
@ApiTags('broker')
@Controller('v1/broker')
@BrokerHook()
export class BrokerHookController {
  constructor(private readonly rules: BrokerHookRules) {}

  @Post('auth')
  @HttpCode(200)
  async auth(@Body() body: BrokerAuthRequest): Promise<BrokerVerdict> {
    return verdict(await this.rules.authenticate(body.clientid, body.username, body.password));
  }

  @Post('acl')
  @HttpCode(200)
  async acl(@Body() body: BrokerAclRequest): Promise<BrokerVerdict> {
    const wants = body.action
      ? [body.action]
      : body.acc === 2
        ? ['publish']
        : body.acc === 3
          ? ['publish', 'subscribe']
          : ['subscribe'];
    for (const access of wants as Array<'publish' | 'subscribe'>) {
      if (!(await this.rules.authorize(body.clientid, body.username ?? '', body.topic, access, body.retain))) {
        return verdict(false);
      }
    }
    return verdict(true);
  }
}
