import { BadRequestException, Body, Controller, ForbiddenException, HttpCode, Inject, PayloadTooLargeException, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AllowIntegrations, CurrentPrincipal, type Principal } from '@prestanda/auth';
import { findPan, Topic, validateEvent } from '@prestanda/contracts';
import { enqueueEvents, PermanentError } from '@prestanda/persistence';
import { MessagingRuntime } from '@prestanda/service-kit';
import { DataSource } from 'typeorm';
import { INGESTION_CONFIG, type IngestionEnv } from '../config';
import { GateRefusal, touchpointPublisherRefusal } from './checks';
import { gateEvents, GateService, type Admission, type InboundTopic } from './gate.service';

/** The outcome of one envelope: 202 accepted (or absorbed as a duplicate), 400 invalid, 422 refused by the gate. */
export type ItemResult =
  | { index: number; status: 202; eventId: string; outcome: Admission }
  | { index: number; status: 400 | 422; code: string; reason: string; field?: string };

interface HttpResponse {
  status(code: number): unknown;
}

const BODY_DOC = {
  description:
    'One event envelope, or an array of envelopes (a batch), exactly as they would be produced to the matching inbound.* topic (see libs/contracts README and asyncapi.json). Each envelope\'s `source` must be the integration id of the API key.',
  schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
};

/**
 * The HTTP door of the gate, for integrations that cannot produce to Kafka. Same contract,
 * same validation, same de-duplication and the same outbox as the inbound topics: every
 * envelope is checked with the contracts' validator and admitted by GateService in its own
 * transaction. Responses never echo payload values: a refused item names the field and why.
 */
@ApiTags('ingestion')
@ApiHeader({ name: 'x-api-key', description: "The integration's API key; every envelope's source must be its integration id.", required: true })
@ApiResponse({ status: 202, description: 'Every envelope accepted (or a duplicate of one accepted before). Body: { results: [{ index, status: 202, eventId, outcome }] } (a single envelope: the result itself).' })
@ApiResponse({ status: 207, description: 'A batch with refused items: per-item results; refused items carry status 400 (invalid against the contract) or 422 (refused by the gate), code, reason and field.' })
@ApiResponse({ status: 400, description: 'A single envelope invalid against its contract: { status, code, reason, field }.' })
@ApiResponse({ status: 401, description: 'No or unknown API key / token.' })
@ApiResponse({ status: 403, description: "An envelope's source is not the API key's integration, an impression, click or lead names another publisher than the key's (or the key has none), or the caller is not an integration." })
@ApiResponse({ status: 422, description: 'A single envelope refused by the gate (future timestamp, refund without an original, ...).' })
@Controller('v1')
export class GateController {
  constructor(
    private readonly gate: GateService,
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    @Inject(INGESTION_CONFIG) private readonly config: IngestionEnv,
  ) {}

  @Post('card-transactions')
  @AllowIntegrations()
  @HttpCode(202)
  @ApiOperation({ summary: 'Report card transactions (authorization, settlement, refund, reversal); same envelopes as inbound.card-transactions.' })
  @ApiBody(BODY_DOC)
  cardTransactions(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined, @Res({ passthrough: true }) res: HttpResponse) {
    return this.receive(Topic.InboundCardTransactions, body, principal, res);
  }

  @Post('impressions')
  @AllowIntegrations()
  @HttpCode(202)
  @ApiOperation({ summary: 'Report offer impressions; same envelopes as inbound.impressions.' })
  @ApiBody(BODY_DOC)
  impressions(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined, @Res({ passthrough: true }) res: HttpResponse) {
    return this.receive(Topic.InboundImpressions, body, principal, res);
  }

  @Post('clicks')
  @AllowIntegrations()
  @HttpCode(202)
  @ApiOperation({ summary: 'Report clicks and offer activations; same envelopes as inbound.clicks.' })
  @ApiBody(BODY_DOC)
  clicks(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined, @Res({ passthrough: true }) res: HttpResponse) {
    return this.receive(Topic.InboundClicks, body, principal, res);
  }

  @Post('leads')
  @AllowIntegrations()
  @HttpCode(202)
  @ApiOperation({ summary: 'Report leads; same envelopes as inbound.leads.' })
  @ApiBody(BODY_DOC)
  leads(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined, @Res({ passthrough: true }) res: HttpResponse) {
    return this.receive(Topic.InboundLeads, body, principal, res);
  }

  private async receive(topic: InboundTopic, body: unknown, principal: Principal | undefined, res: HttpResponse): Promise<ItemResult | { results: ItemResult[] }> {
    if (principal?.kind !== 'integration') throw new ForbiddenException('only integrations (X-Api-Key) report events');
    const batch = Array.isArray(body);
    const items: unknown[] = batch ? body : [body];
    if (items.length === 0) throw new BadRequestException('the batch is empty');
    if (items.length > this.config.INGESTION_MAX_BATCH_SIZE) throw new PayloadTooLargeException(`at most ${this.config.INGESTION_MAX_BATCH_SIZE} envelopes per request`);
    // Authorization before anything is admitted: an integration speaks only for itself.
    items.forEach((item, index) => {
      const source = typeof item === 'object' && item !== null ? (item as { source?: unknown }).source : undefined;
      if (typeof source === 'string' && source !== principal.source) {
        throw new ForbiddenException(`${batch ? `[${index}].` : ''}source is not the integration of this API key`);
      }
      const publisher = topic === Topic.InboundCardTransactions ? undefined : touchpointPublisherRefusal(principal.publisherId, item);
      if (publisher) throw new ForbiddenException(`${batch ? `[${index}].` : ''}${publisher}`);
    });
    const results: ItemResult[] = [];
    for (const [index, item] of items.entries()) results.push(await this.one(topic, item, index));
    if (results.some((r) => r.status === 202)) this.messaging.nudgeRelay();
    const allAccepted = results.every((r) => r.status === 202);
    if (!batch) {
      res.status(results[0].status);
      return results[0];
    }
    res.status(allAccepted ? 202 : 207);
    return { results };
  }

  private async one(topic: InboundTopic, item: unknown, index: number): Promise<ItemResult> {
    // A card number refuses the envelope whatever else is wrong with it; its path is named, never the number.
    const pan = findPan(item);
    if (pan) return this.refused(topic, { index, status: 400, code: 'card-number', field: pan.path, reason: `${pan.path || '(root)'} contains a card number (PAN); card numbers must never be sent` });
    const decoded = validateEvent(topic, item);
    if (!decoded.ok) return this.refused(topic, { index, status: 400, code: decoded.code, reason: decoded.reason, ...(decoded.field ? { field: decoded.field } : {}) });
    const event = decoded.event;
    try {
      const outcome = await this.dataSource.transaction((manager) => this.gate.admit(topic, event, manager, (outbox) => enqueueEvents(manager, outbox), 'http'));
      return { index, status: 202, eventId: event.eventId, outcome };
    } catch (error) {
      if (error instanceof GateRefusal) return this.refused(topic, { index, status: 422, code: error.reason, reason: error.message, field: error.field });
      if (error instanceof PermanentError) return this.refused(topic, { index, status: 422, code: 'rejected', reason: error.message, ...(error.field ? { field: error.field } : {}) });
      throw error;
    }
  }

  private refused(topic: InboundTopic, result: ItemResult): ItemResult {
    gateEvents.inc({ topic, outcome: 'refused', path: 'http' });
    return result;
  }
}
