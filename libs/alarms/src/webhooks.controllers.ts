import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Role, Roles } from '@poc/auth';
import {
  DeliveriesQuery,
  RegisteredWebhookResponse,
  WebhookDeliveriesResponse,
  WebhookDeliveryResponse,
  WebhookDto,
  WebhooksResponse,
} from './alarms.dto';
import { WebhooksService } from './webhooks.service';

/**
 * The webhook routes under `path`, for `roles`: `POST {url, events, minSeverity}` gives
 * `{id, url, events, minSeverity, createdAt, secret}` (the secret once); list, remove, the deliveries, and a
 * replay of a dead one. A provider's are its provider's, the internal team's the manufacturer's.
 */
function webhooksController(name: string, path: string, tag: string, roles: [Role, ...Role[]]): Type<unknown> {
  @ApiTags(tag)
  @Controller(path)
  class WebhooksController {
    constructor(private readonly webhooks: WebhooksService) {}

    @Post()
    @Roles(...roles)
    @ApiCreatedResponse({ type: RegisteredWebhookResponse })
    register(@CurrentUser() caller: Principal, @Body() body: WebhookDto): Promise<RegisteredWebhookResponse> {
      return this.webhooks.register(caller, body);
    }

    @Get()
    @Roles(...roles)
    @ApiOkResponse({ type: WebhooksResponse })
    list(@CurrentUser() caller: Principal): Promise<WebhooksResponse> {
      return this.webhooks.list(caller);
    }

    @Delete(':id')
    @HttpCode(204)
    @Roles(...roles)
    @ApiNoContentResponse({ description: 'Removed: it is sent nothing more, and its pending deliveries are dead' })
    remove(@CurrentUser() caller: Principal, @Param('id') id: string) {
      return this.webhooks.remove(caller, id);
    }

    @Get(':id/deliveries')
    @Roles(...roles)
    @ApiOkResponse({ type: WebhookDeliveriesResponse })
    deliveries(
      @CurrentUser() caller: Principal,
      @Param('id') id: string,
      @Query() query: DeliveriesQuery,
    ): Promise<WebhookDeliveriesResponse> {
      return this.webhooks.deliveries(caller, id, query.state, query.limit ?? 100);
    }

    @Post(':id/deliveries/:deliveryId/replay')
    @HttpCode(200)
    @Roles(...roles)
    @ApiOkResponse({ type: WebhookDeliveryResponse })
    replay(
      @CurrentUser() caller: Principal,
      @Param('id') id: string,
      @Param('deliveryId') deliveryId: string,
    ): Promise<WebhookDeliveryResponse> {
      return this.webhooks.replay(caller, id, deliveryId);
    }
  }
  Object.defineProperty(WebhooksController, 'name', { value: name });
  return WebhooksController;
}

export const ProviderWebhooksController = webhooksController(
  'ProviderWebhooksController',
  'v1/provider/webhooks',
  'provider',
  ['provider'],
);
export const InternalWebhooksController = webhooksController(
  'InternalWebhooksController',
  'v1/internal/webhooks',
  'internal',
  ['support', 'admin'],
);
