export { ConsentModule } from './consent.module';
export { CollectionRule, ConsentService } from './consent.service';
