import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProviderEntity } from './provider.entity';

@Injectable()
export class ProvidersRepository {
  constructor(@InjectRepository(ProviderEntity) private readonly providers: Repository<ProviderEntity>) {}

  insert(name: string): Promise<ProviderEntity> {
    return this.providers.save(this.providers.create({ name }));
  }

  async exists(id: string): Promise<boolean> {
    return this.providers.existsBy({ id });
  }

  byName(name: string): Promise<ProviderEntity | null> {
    return this.providers.findOneBy({ name });
  }

  list(): Promise<ProviderEntity[]> {
    return this.providers.find({ order: { name: 'ASC' } });
  }
}
