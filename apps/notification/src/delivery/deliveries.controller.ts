import { BadRequestException, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@prestanda/auth';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DataSource, FindOptionsWhere } from 'typeorm';
import { Delivery, DeliveryAttempt, DeliveryStatus } from '../entities';
import { Dispatcher } from './dispatcher';

const ID = /^[\x21-\x7e]{1,128}$/;
const STATUSES: DeliveryStatus[] = ['pending', 'sending', 'delivered', 'failed', 'dead', 'skipped'];

export class DeliveryQuery {
  @ApiPropertyOptional({ description: 'Recipient id (bank integration id, publisher id or advertiser id).' })
  @IsOptional() @Matches(ID) recipient?: string;

  @ApiPropertyOptional({ description: 'The source event id (e.g. of a reward.earned).' })
  @IsOptional() @IsUUID() eventId?: string;

  @ApiPropertyOptional({ description: 'The customer a reward message was about.' })
  @IsOptional() @Matches(ID) customerId?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional() @IsIn(STATUSES) status?: DeliveryStatus;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class DeliveryIdParams {
  @Matches(/^dlv-[0-9a-f]{24}$/) id!: string;
}

function view(d: Delivery) {
  return {
    id: d.id,
    sourceEventId: d.sourceEventId,
    sourceEventType: d.sourceEventType,
    recipient: { kind: d.recipientKind, id: d.recipientId },
    channel: d.channel,
    template: d.template,
    customerId: d.customerId,
    customerBank: d.customerBank,
    status: d.status,
    skipReason: d.skipReason,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** The delivery log, and replay for ops. */
@ApiTags('deliveries')
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: Dispatcher,
  ) {}

  @Get()
  @Roles('ops-admin', 'ops-viewer')
  async list(@Query() q: DeliveryQuery) {
    if (!q.recipient && !q.eventId && !q.customerId) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['recipient, eventId or customerId is required'], fields: [{ field: 'recipient', message: 'recipient, eventId or customerId is required' }] });
    const where: FindOptionsWhere<Delivery> = {};
    if (q.recipient) where.recipientId = q.recipient;
    if (q.eventId) where.sourceEventId = q.eventId;
    if (q.customerId) where.customerId = q.customerId;
    if (q.status) where.status = q.status;
    const rows = await this.dataSource.getRepository(Delivery).find({ where, order: { createdAt: 'DESC', id: 'ASC' }, take: q.limit ?? 100 });
    return { items: rows.map(view) };
  }

  @Get(':id')
  @Roles('ops-admin', 'ops-viewer')
  async get(@Param() p: DeliveryIdParams) {
    const d = await this.dataSource.getRepository(Delivery).findOneBy({ id: p.id });
    if (!d) throw new NotFoundException(`no delivery ${p.id}`);
    const attempts = await this.dataSource.getRepository(DeliveryAttempt).find({ where: { deliveryId: p.id }, order: { attempt: 'ASC' } });
    return {
      ...view(d),
      payload: d.payload,
      attemptLog: attempts.map((a) => ({ attempt: a.attempt, startedAt: a.startedAt, latencyMs: a.latencyMs, statusCode: a.statusCode, error: a.error, outcome: a.outcome })),
    };
  }

  /** A failed or dead-lettered delivery goes back to pending with a fresh run of attempts; same id, same body. */
  @Post(':id/replay')
  @Roles('ops-admin')
  @HttpCode(202)
  async replay(@Param() p: DeliveryIdParams) {
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE "notification"."deliveries" SET status = 'pending', run_attempts = 0, next_attempt_at = now(), lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('failed', 'dead') RETURNING id`,
      [p.id],
    );
    if (rows.length === 0) {
      const d = await this.dataSource.getRepository(Delivery).findOneBy({ id: p.id });
      if (!d) throw new NotFoundException(`no delivery ${p.id}`);
      throw new ConflictException(`delivery ${p.id} is ${d.status}; only failed or dead deliveries can be replayed`);
    }
    this.dispatcher.nudge();
    const d = await this.dataSource.getRepository(Delivery).findOneByOrFail({ id: p.id });
    return view(d);
  }
}
