import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppError, ValidationFailed } from '../../common/errors/app-errors';
import { afterNetworkWord } from '../../common/french-format';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { normalizeEmail, staffEmailProblem } from '../accounts/credentials.policy';
import { NetworkOverview, NetworksRepository } from './networks.repository';

/**
 * The networks' page: admins see them all, animators their own. The contact address is edited here, not in the seed
 * file (which gives a new network its first one): it receives the network's alerts while it has no animator.
 */
@Injectable()
export class NetworksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly networks: NetworksRepository,
    private readonly audit: AuditService,
  ) {}

  overview(staff: StaffPrincipal): Promise<NetworkOverview[]> {
    return this.networks.overview(visibleNetworks(staff));
  }

  /** One network the person may edit: another's reads as one that does not exist. */
  async get(staff: StaffPrincipal, code: string): Promise<NetworkOverview> {
    const visible = visibleNetworks(staff);
    const [network] = visible === null || visible.includes(code) ? await this.networks.overview([code]) : [];
    if (!network) throw new AppError('not_found', 'Réseau introuvable.');
    return network;
  }

  async changeContact(staff: StaffPrincipal, code: string, value: unknown): Promise<void> {
    const network = await this.get(staff, code);
    const email = normalizeEmail(value);
    const problem = email
      ? staffEmailProblem(email)
      : 'Indiquez l’adresse de contact du réseau : elle reçoit ses alertes tant qu’il n’a pas d’animateur.';
    if (problem) throw new ValidationFailed([{ field: 'contactEmail', message: problem }]);
    if (email === network.contactEmail) return;
    await this.dataSource.transaction(async (manager) => {
      await this.networks.setContactEmail(manager, network.code, email);
      await this.audit.record(
        manager,
        staff,
        'network_contact_changed',
        [network.code],
        `Adresse de contact du réseau ${afterNetworkWord(network.name)} : ${network.contactEmail ?? 'aucune'} → ${email}`,
      );
    });
  }
}
