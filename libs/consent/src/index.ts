export { ConsentStateResponse } from './consent.dto';
export { ConsentModule } from './consent.module';
export { CollectionRule, ConsentService } from './consent.service';
