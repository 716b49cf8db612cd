import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOPIC_SAFE_INTEGRATION_ID } from '@prestanda/contracts';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from '../campaigns/dto';
import { INTEGRATION_KINDS, type IntegrationKind } from './entities';

export class CreateIntegrationDto {
  @ApiProperty({ description: 'The integration id: the `source` of its events and the name of its own topics (inbound.<id>.*). Lower-case letters, digits and dashes.', example: 'bank-nord-se' })
  @Matches(TOPIC_SAFE_INTEGRATION_ID, { message: 'id must be 1-64 lower-case letters, digits and dashes, starting and ending with a letter or digit' })
  id: string;

  @ApiProperty({ enum: INTEGRATION_KINDS })
  @IsIn(INTEGRATION_KINDS)
  kind: IntegrationKind;

  @ApiProperty({ example: 'Nordbanken Sverige' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ enum: ['sv', 'en'], default: 'sv' })
  @IsOptional()
  @IsIn(['sv', 'en'])
  locale?: 'sv' | 'en';

  @ApiPropertyOptional({ description: 'The publisher its impressions, clicks and leads are reported for (a bank: its bank publisher, e.g. pub-bank-nord-se). Without one the key reports no traffic.', example: 'pub-bank-nord-se' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'publisherId must be 1-128 printable ASCII characters without whitespace' })
  publisherId?: string;
}

export class CreateApiKeyDto {
  @ApiPropertyOptional({ description: 'Rotate: the key this one replaces. It keeps working for overlapMinutes, then stops.' })
  @IsOptional()
  @IsUUID()
  replacesKeyId?: string;

  @ApiPropertyOptional({ description: 'How long the replaced key keeps working, in minutes (default 1440, one day; 0 ends it now).', default: 1440 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(43_200)
  overlapMinutes?: number;
}
