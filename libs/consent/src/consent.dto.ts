import { ApiProperty, OmitType } from '@nestjs/swagger';
import { PageOf } from '@poc/common';
import { IsBoolean, IsString, MaxLength } from 'class-validator';

export class ConsentChoicesDto {
  @ApiProperty({ example: '2021-05-06', description: 'must be the current policy version' })
  @IsString()
  @MaxLength(40)
  policyVersion!: string;

  @ApiProperty() @IsBoolean() locationCollection!: boolean;
  @ApiProperty() @IsBoolean() shareWithProvider!: boolean;
  @ApiProperty() @IsBoolean() marketing!: boolean;
  @ApiProperty() @IsBoolean() saleOptOut!: boolean;
}

export class ConsentHistoryEntry extends OmitType(ConsentChoicesDto, ['policyVersion']) {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the version accepted; null for a withdrawal or opt-out of someone who accepted none',
  })
  policyVersion!: string | null;
  @ApiProperty() at!: Date;
}

export class ConsentStateResponse {
  @ApiProperty() currentPolicyVersion!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the version the patient accepted last, or null' })
  policyVersion!: string | null;
  @ApiProperty() locationCollection!: boolean;
  @ApiProperty() shareWithProvider!: boolean;
  @ApiProperty() marketing!: boolean;
  @ApiProperty() saleOptOut!: boolean;
  @ApiProperty({ type: [ConsentHistoryEntry], description: 'oldest first' }) history!: ConsentHistoryEntry[];
}

/** A patient who may be contacted for marketing. */
export class MarketingContactResponse {
  @ApiProperty() patientId!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

export const MarketingContactPage = PageOf(MarketingContactResponse);
