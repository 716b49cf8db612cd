import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isCurrency } from '@prestanda/money';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy, ValidateIf, ValidateNested, buildMessage } from 'class-validator';

const ID = /^[\x21-\x7e]{1,128}$/;
const ID_MESSAGE = '$property must be 1-128 printable ASCII characters without whitespace';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function IsCurrencyCode(): PropertyDecorator {
  return ValidateBy({ name: 'isCurrencyCode', validator: { validate: (v) => isCurrency(v), defaultMessage: buildMessage(() => '$property must be an ISO 4217 currency code (SEK, EUR, ...)') } });
}

export class OrderAmountDto {
  @ApiProperty({ description: 'Order value in minor units (öre, cent), net of VAT as the program defines it; a positive integer.', example: 125_000 })
  @IsInt({ message: '$property must be an integer number of minor units' })
  @Min(1, { message: '$property must be positive' })
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @ApiProperty({ example: 'SEK' })
  @IsCurrencyCode()
  currency: string;
}

export class BasketLineDto {
  @ApiProperty({ example: 'SKU-1001' }) @IsString() @Length(1, 128) sku: string;
  @ApiPropertyOptional({ example: 'shoes' }) @IsOptional() @IsString() @Length(1, 64) category?: string;
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) quantity: number;
  @ApiProperty({ description: 'Line total in minor units.', example: 125_000 }) @IsInt() @Min(0) amountMinor: number;
}

/** A sale (or lead) reported by the advertiser's shop, server to server. */
export class ConversionPostbackDto {
  @ApiProperty({ description: "The shop's order id, unique per advertiser: a resent postback with the same order id changes nothing.", example: 'ORD-100234' })
  @Matches(ID, { message: ID_MESSAGE })
  orderId: string;

  @ApiPropertyOptional({ enum: ['sale', 'lead'], default: 'sale', description: 'sale: an order (CPA programs, commission on amount); lead: a sign-up or application (CPL programs, the program price), orderId is the lead id.' })
  @IsOptional()
  @IsIn(['sale', 'lead'])
  kind?: 'sale' | 'lead';

  @ApiPropertyOptional({ type: OrderAmountDto, description: 'Required for a sale; optional for a lead.' })
  @ValidateIf((o: { kind?: string; amount?: unknown }) => o.kind !== 'lead' || o.amount !== undefined)
  @IsDefined({ message: '$property is required for a sale' })
  @ValidateNested()
  @Type(() => OrderAmountDto)
  amount?: OrderAmountDto;

  @ApiPropertyOptional({ description: 'The click id the tracking link appended to the landing URL (its parameter, default prclid).', example: 'c_Q2xpY2tJZEV4YW1wbGUx' })
  @IsOptional()
  @Matches(ID, { message: ID_MESSAGE })
  clickId?: string;

  @ApiPropertyOptional({ description: 'A voucher code the customer used.', example: 'SPARA10' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  voucherCode?: string;

  @ApiPropertyOptional({ description: 'When the order was placed (RFC 3339); default: now.', example: '2026-12-03T10:15:00Z' })
  @IsOptional()
  @Matches(RFC3339, { message: '$property must be an RFC 3339 date-time' })
  convertedAt?: string;

  @ApiPropertyOptional({ type: [BasketLineDto], description: 'Basket lines (for reporting; the commission is on amount).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BasketLineDto)
  basket?: BasketLineDto[];
}

/** A return (part of the order) or a cancellation (all of it), inside the lock period. */
export class ConversionAdjustmentDto {
  @ApiProperty({ example: 'ORD-100234' })
  @Matches(ID, { message: ID_MESSAGE })
  orderId: string;

  @ApiProperty({ description: "The shop's id of this return or cancellation: each is applied once.", example: 'RET-1' })
  @Matches(ID, { message: ID_MESSAGE })
  adjustmentId: string;

  @ApiProperty({ enum: ['return', 'cancel'] })
  @IsIn(['return', 'cancel'])
  kind: 'return' | 'cancel';

  @ApiPropertyOptional({ type: OrderAmountDto, description: 'For return: the value returned (not the new total).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrderAmountDto)
  amount?: OrderAmountDto;
}

export class ListConversionsQuery {
  @ApiPropertyOptional({ description: 'Ops: whose conversions. Advertisers see their own.' })
  @IsOptional()
  @Matches(ID, { message: ID_MESSAGE })
  advertiserId?: string;

  @ApiPropertyOptional({ enum: ['pending', 'confirmed', 'reversed', 'held', 'rejected', 'unattributed', 'lead-recorded'] })
  @IsOptional()
  @IsIn(['pending', 'confirmed', 'reversed', 'held', 'rejected', 'unattributed', 'lead-recorded'])
  status?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: ID_MESSAGE })
  orderId?: string;
}

export class ReviewDto {
  @ApiProperty({ enum: ['release', 'reject'], description: 'release: the held sale is paid as if no rule had tripped (conversion.recorded); reject: it is never paid.' })
  @IsIn(['release', 'reject'])
  decision: 'release' | 'reject';

  @ApiPropertyOptional({ description: 'Why (kept with the conversion).', example: 'checked with the shop: a real customer' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  note?: string;
}
