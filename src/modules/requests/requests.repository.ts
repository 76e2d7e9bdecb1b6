import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AdviceRequest, RequestEvent } from './request.entities';

/** The per-year sequence behind GV-YYYY-NNNNNN; sequences never block concurrent submissions. */
function sequenceName(year: number): string {
  return `request_reference_${year}_seq`;
}

@Injectable()
export class RequestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async ensureReferenceSequence(year: number): Promise<void> {
    await this.dataSource.query(`CREATE SEQUENCE IF NOT EXISTS ${sequenceName(year)}`);
  }

  /** Numbers may skip (a failed submission burns one); they never repeat within a year. */
  async nextReference(year: number): Promise<string> {
    const next = async () => {
      const [{ n }] = await this.dataSource.query(`SELECT nextval('${sequenceName(year)}')::int AS n`);
      return `GV-${year}-${String(n).padStart(6, '0')}`;
    };
    try {
      return await next();
    } catch (error) {
      if ((error as { code?: string }).code !== '42P01') throw error;
      await this.ensureReferenceSequence(year);
      return next();
    }
  }

  async insert(manager: EntityManager, request: AdviceRequest, event: Omit<RequestEvent, 'id' | 'createdAt' | 'request'>): Promise<void> {
    await manager.insert(AdviceRequest, request);
    await manager.insert(RequestEvent, event);
  }

  findByReference(reference: string): Promise<AdviceRequest | null> {
    return this.dataSource.getRepository(AdviceRequest).findOne({
      where: { reference },
      relations: { department: true, segment: true, network: true },
    });
  }

  publicHistory(requestId: string): Promise<RequestEvent[]> {
    return this.dataSource.getRepository(RequestEvent).find({ where: { requestId, isPublic: true }, order: { id: 'ASC' } });
  }
}
