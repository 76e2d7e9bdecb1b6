import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ReferenceService } from '../reference/reference.service';
import { AccountsRepository, NewAccount } from './accounts.repository';
import type { StaffRole } from './accounts.types';
import { PasswordHasher } from './password-hasher';

export interface SeededAccount {
  email: string;
  role: StaffRole;
  created: boolean;
}

/**
 * Demo accounts (example.org): one per demo facilitator, one animator per network, one admin,
 * all with the password given. A second run creates nothing and sets that password again.
 */
@Injectable()
export class DemoStaffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly reference: ReferenceService,
  ) {}

  async seed(facilitatorEmails: string[], password: string): Promise<SeededAccount[]> {
    const passwordHash = await this.hasher.hash(password);
    const drafts: Array<Omit<NewAccount, 'id'>> = [
      {
        email: 'demo.admin@example.org',
        firstName: 'Camille',
        lastName: 'Démo Administration',
        role: 'admin',
        facilitatorId: null,
        networkCodes: [],
      },
      ...this.reference.allNetworks().map((network) => ({
        email: `demo.animation.${network.code}@example.org`,
        // Not a demo facilitator's first name: a history line « par Claude Démo … » names one person.
        firstName: 'Claude',
        lastName: `Démo ${network.code.toUpperCase()}`,
        role: 'animator' as const,
        facilitatorId: null,
        networkCodes: [network.code],
      })),
    ];
    const seeded: SeededAccount[] = [];
    await this.dataSource.transaction(async (manager) => {
      for (const email of facilitatorEmails) {
        const facilitator = await this.accounts.facilitatorByEmail(manager, email);
        if (facilitator) {
          const { firstName, lastName, id } = facilitator;
          drafts.push({ email, firstName, lastName, role: 'facilitator', facilitatorId: id, networkCodes: [] });
        }
      }
      for (const draft of drafts) {
        const existing = await this.accounts.findByEmail(draft.email, manager);
        const id = existing?.id ?? randomUUID();
        if (!existing) await this.accounts.insert(manager, { ...draft, id });
        await this.accounts.setPassword(manager, id, passwordHash);
        await this.accounts.setActive(manager, id, true);
        seeded.push({ email: draft.email, role: draft.role, created: !existing });
      }
    });
    return seeded;
  }
}
