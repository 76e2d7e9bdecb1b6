import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, FieldError, ValidationFailed } from '../../common/errors/app-errors';
import { ofPhrase } from '../../common/french-format';
import { isUuid, validateBody } from '../../common/validation';
import { isSelfOrManager } from '../accounts/access.policy';
import { AuditActor, AuditService, nameAndEmail } from '../audit/audit.service';
import { AccountsService } from '../accounts/accounts.service';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { Clock } from '../../common/clock';
import { ReferenceService } from '../reference/reference.service';
import { AbsenceAnnouncementsService } from './absence-announcements.service';
import { absencePeriodProblems, overlapMessage } from './absence.policy';
import { AbsenceDto, CreateAbsenceDto } from './dto/absence.dto';
import { CreateFacilitatorDto, FacilitatorDto, FacilitatorQueryDto } from './dto/facilitator.dto';
import {
  affectsRouting,
  changedFields,
  changeSummary,
  FacilitatorProfile,
  NewFacilitator,
  ProfileChange,
  resolveProfile,
  Territory,
} from './facilitator.policy';
import { FacilitatorChangesService } from './facilitator-changes.service';
import { FacilitatorsRepository, HeldRequest, StoredFacilitator } from './facilitators.repository';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** The networks whose facilitators the caller may read and change; null: all (admins, imports). */
export type NetworkScope = string[] | null;

const inScope = (scope: NetworkScope, networkCode: string) => scope === null || scope.includes(networkCode);

/** How an import writes a row (upsertByEmail). */
export interface UpsertOptions {
  scope?: NetworkScope;
  actor?: AuditActor;
  dryRun?: boolean;
}

/** Thrown out of a dry run's transaction so that it rolls back, carrying what the row would have done. */
class RolledBack extends Error {
  constructor(readonly outcome: UpsertOutcome) {
    super('dry run');
  }
}

const UNIQUE_VIOLATION = '23505';

/**
 * The facilitator directory: every write is validated against the reference data and committed
 * with a routing.facilitator-changed outbox row when it may change who receives which request.
 */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly facilitators: FacilitatorsRepository,
    private readonly changes: FacilitatorChangesService,
    private readonly reference: ReferenceService,
    private readonly absenceAnnouncements: AbsenceAnnouncementsService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(query: FacilitatorQueryDto, scope: NetworkScope = null): Promise<FacilitatorDto[]> {
    if (query.network !== undefined && !this.territory().networkCodes().includes(query.network)) {
      throw new ValidationFailed([{ field: 'network', message: `Réseau inconnu : « ${query.network} ».` }]);
    }
    // Refused rather than an empty list, which would read as « nobody there ».
    if (query.network !== undefined && !inScope(scope, query.network)) {
      throw new ValidationFailed([{ field: 'network', message: `Réseau hors de vos réseaux : « ${query.network} ».` }]);
    }
    const facilitators = await this.facilitators.list(
      {
        networkCode: query.network,
        kind: query.kind,
        active: query.active === undefined ? undefined : query.active === 'true',
      },
      this.reference.networkDays(this.clock.now()),
    );
    return facilitators.filter((facilitator) => inScope(scope, facilitator.networkCode));
  }

  async get(id: string, scope: NetworkScope = null): Promise<FacilitatorDto> {
    const facilitator = await this.find(id);
    if (!facilitator || !inScope(scope, facilitator.networkCode)) throw facilitatorNotFound();
    return facilitator;
  }

  /** The facilitator as the directory shows them, absences on their network's day; null for an id that is none. */
  private async find(id: string): Promise<FacilitatorDto | null> {
    return isUuid(id) ? this.facilitators.view(id, this.reference.networkDays(this.clock.now())) : null;
  }

  hasAccount(facilitatorId: string): Promise<boolean> {
    return this.facilitators.hasAccount(facilitatorId);
  }

  /** Whom a facilitator writes to about their record: their network's animators, else its contact address. */
  async contactsOf(networkCode: string): Promise<Array<{ name: string | null; email: string }>> {
    const animators = await this.facilitators.networkAnimators(networkCode);
    if (animators.length) return animators;
    const contact = await this.reference.networkContactEmail(networkCode);
    return contact ? [{ name: null, email: contact }] : [];
  }

  /** The workspace's record and absence pages: for anyone but the facilitator and their managers, there is no such facilitator. */
  async forSelfOrManager(staff: StaffPrincipal, id: string): Promise<FacilitatorDto> {
    const facilitator = await this.find(id);
    if (!facilitator || !isSelfOrManager(staff, facilitator)) throw facilitatorNotFound();
    return facilitator;
  }

  /** The requests a facilitator holds (taken in charge or not), the soonest due first: what an absence leaves behind. */
  heldRequests(facilitatorId: string): Promise<HeldRequest[]> {
    return this.facilitators.heldRequests(this.dataSource.manager, facilitatorId, false);
  }

  /**
   * The page's whole record checked in one pass: its shape and, as far as it can be read, its territory (départements,
   * segments), so an animator sees every error at once instead of one round after another.
   */
  async checkedForm(raw: Record<string, unknown>): Promise<CreateFacilitatorDto> {
    try {
      return await validateBody(CreateFacilitatorDto, raw);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const more = this.territoryProblems(raw).filter((problem) => !error.errors.some((e) => e.field === problem.field));
      throw more.length ? new ValidationFailed([...error.errors, ...more]) : error;
    }
  }

  /** A facilitator goes into one of the caller's networks (the others are named, not theirs to fill: a field error). */
  async create(input: NewFacilitator, scope: NetworkScope = null, actor: AuditActor = null): Promise<FacilitatorDto> {
    if (!inScope(scope, input.networkCode)) throw networkNotManaged();
    const id = await this.transaction(async (manager) => {
      const created = await this.insert(manager, input);
      await this.journalCreated(manager, actor, input, '');
      return created;
    });
    return this.get(id);
  }

  /** Only the fields given change; the result must still satisfy every rule as a whole. */
  async update(
    id: string,
    patch: Partial<FacilitatorProfile>,
    scope: NetworkScope = null,
    actor: AuditActor = null,
  ): Promise<FacilitatorDto> {
    if (patch.networkCode !== undefined && !inScope(scope, patch.networkCode)) throw networkNotManaged();
    await this.transaction(async (manager) => {
      const current = await this.lock(manager, id, scope);
      await this.journalUpdated(manager, actor, await this.applyChanges(manager, current, patch, actor), '');
    });
    return this.get(id);
  }

  /**
   * The import's and demo data's write: by e-mail, and nothing at all when the record is already so. `scope`: the
   * networks the row may go into and whose record it may change; `actor`: given, each change is journaled as theirs
   * (the workspace's import); `dryRun`: every check and write of the real thing, then rolled back (« Vérifier »).
   */
  async upsertByEmail(input: NewFacilitator, { scope = null, actor, dryRun = false }: UpsertOptions = {}): Promise<UpsertOutcome> {
    if (!inScope(scope, input.networkCode)) {
      throw new ValidationFailed([{ field: 'networkCode', message: `Réseau « ${input.networkCode} » : vous n’animez pas ce réseau.` }]);
    }
    try {
      return await this.transaction(async (manager): Promise<UpsertOutcome> => {
        const current = await this.facilitators.lockByEmail(manager, input.email.trim().toLowerCase());
        // Another network's record: that the address is taken, nothing more (as when adding one by the form).
        if (current && !inScope(scope, current.networkCode)) throw emailTaken();
        let outcome: UpsertOutcome = 'created';
        if (!current) {
          await this.insert(manager, input);
          if (actor !== undefined) await this.journalCreated(manager, actor, input, ' par import CSV');
        } else {
          const change = await this.applyChanges(manager, current, input, actor);
          if (actor !== undefined) await this.journalUpdated(manager, actor, change, ' par import CSV');
          outcome = change.changed.length ? 'updated' : 'unchanged';
        }
        if (dryRun) throw new RolledBack(outcome);
        return outcome;
      });
    } catch (error) {
      if (error instanceof RolledBack) return error.outcome;
      throw error;
    }
  }

  /**
   * `declaredBy`: the person at the page. When it is the facilitator themself, holding open requests, the
   * network's animators are told in the same transaction, to reassign what cannot wait.
   */
  async addAbsence(id: string, input: CreateAbsenceDto, scope: NetworkScope = null, declaredBy?: StaffPrincipal): Promise<AbsenceDto> {
    const absence: AbsenceDto = { id: randomUUID(), startsOn: input.startsOn, endsOn: input.endsOn, reason: input.reason || null };
    await this.transaction(async (manager) => {
      const facilitator = await this.lock(manager, id, scope);
      // After the lookup: someone else's facilitator is a 404 whatever the dates.
      const problems = absencePeriodProblems(input, this.reference.networkDay(facilitator.networkCode, this.clock.now()));
      if (problems.length) throw new ValidationFailed(problems);
      // The facilitator's row lock makes this check and the insert one step for concurrent writers.
      const overlapping = await this.facilitators.findOverlappingAbsence(manager, id, absence);
      if (overlapping) {
        const message = overlapMessage(overlapping);
        throw new AppError('conflict', message, [{ field: 'startsOn', message }]);
      }
      // Declared by the facilitator themself: their animators do not know yet.
      const selfDeclared = declaredBy?.facilitatorId === id;
      await this.facilitators.insertAbsence(manager, id, absence, selfDeclared);
      await this.changes.announce(manager, id);
      if (selfDeclared) await this.absenceAnnouncements.announceIfDue(manager, facilitator, absence);
    });
    return absence;
  }

  async removeAbsence(id: string, absenceId: string, scope: NetworkScope = null): Promise<void> {
    await this.transaction(async (manager) => {
      await this.lock(manager, id, scope);
      if (!isUuid(absenceId) || !(await this.facilitators.deleteAbsence(manager, id, absenceId))) {
        throw new AppError('not_found', 'Absence introuvable.');
      }
      await this.changes.announce(manager, id);
    });
  }

  private async insert(manager: EntityManager, input: NewFacilitator): Promise<string> {
    const { organisation = null, departmentCodes = [], segments = [], isCoordinator = false, active = true, ...identity } = input;
    const profile = this.resolve({ ...identity, organisation, departmentCodes, segments, isCoordinator, active });
    const id = randomUUID();
    await this.facilitators.insert(manager, id, profile);
    // After the insert: an address another record has is said as such, not as an account's.
    await this.accounts.holdRecord(manager, { id, email: profile.email, networkCode: profile.networkCode }, 'recordEmail');
    await this.changes.announce(manager, id);
    return id;
  }

  /** Returns the fields that changed (none: nothing written). */
  private async applyChanges(
    manager: EntityManager,
    current: StoredFacilitator,
    patch: Partial<FacilitatorProfile>,
    actor: AuditActor = null,
  ): Promise<ProfileChange> {
    const { id, ...before } = current;
    const after = this.resolve({ ...before, ...definedOnly(patch) });
    const changed = changedFields(before, after);
    if (!changed.length) return { before, after, changed };
    if (changed.includes('email') && (await this.facilitators.emailTaken(manager, after.email, id))) throw emailTaken();
    await this.facilitators.update(
      manager,
      id,
      Object.fromEntries(changed.map((field) => [field, after[field]])) as Partial<FacilitatorProfile>,
    );
    if (changed.includes('email')) await this.accounts.followRecordEmail(manager, id, after.email, actor);
    // After the holder followed: the account now at the address must be one that can hold the record there.
    if (changed.includes('email') || changed.includes('networkCode')) {
      const change = changed.includes('email') ? 'recordEmail' : 'recordNetwork';
      await this.accounts.holdRecord(manager, { id, email: after.email, networkCode: after.networkCode }, change);
    }
    if (affectsRouting(changed)) await this.changes.announce(manager, id);
    return { before, after, changed };
  }

  /** `via`: how, when not by the record's own form (« par import CSV »). */
  private async journalCreated(manager: EntityManager, actor: AuditActor, input: NewFacilitator, via: string): Promise<void> {
    const name = nameAndEmail({ ...input, email: input.email.trim().toLowerCase() });
    await this.audit.record(manager, actor, 'facilitator_created', [input.networkCode], `Fiche de facilitateur créée${via} : ${name}`);
  }

  private async journalUpdated(manager: EntityManager, actor: AuditActor, change: ProfileChange, via: string): Promise<void> {
    if (!change.changed.length) return;
    const { before, after } = change;
    const what = changeSummary(change, {
      network: (code) => this.reference.network(code)?.name ?? code,
      segment: (code) => this.reference.segmentLabel(code),
    });
    await this.audit.record(
      manager,
      actor,
      'facilitator_updated',
      [before.networkCode, after.networkCode],
      `Fiche ${ofPhrase(nameAndEmail(before))} modifiée${via} : ${what}`,
    );
  }

  private resolve(draft: FacilitatorProfile): FacilitatorProfile {
    const result = resolveProfile(draft, this.territory());
    if (!result.ok) throw new ValidationFailed(result.errors);
    return result.profile;
  }

  private async lock(manager: EntityManager, id: string, scope: NetworkScope = null): Promise<StoredFacilitator> {
    const facilitator = isUuid(id) ? await this.facilitators.lockById(manager, id) : null;
    if (!facilitator || !inScope(scope, facilitator.networkCode)) throw facilitatorNotFound();
    return facilitator;
  }

  private async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      // Two writers can pass the e-mail check at once; the unique index has the last word.
      const { code, table } = error as { code?: string; table?: string };
      if (code === UNIQUE_VIOLATION && table === 'facilitators') throw emailTaken();
      throw error;
    }
  }

  /** The départements' and segments' problems of a record whose other fields may not be readable yet. */
  private territoryProblems(raw: Record<string, unknown>): FieldError[] {
    const texts = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
    if (typeof raw.networkCode !== 'string') return [];
    const draft: FacilitatorProfile = {
      email: '',
      firstName: '',
      lastName: '',
      kind: raw.kind === 'social_clause' ? 'social_clause' : 'environmental',
      organisation: null,
      networkCode: raw.networkCode,
      departmentCodes: texts(raw.departmentCodes),
      segments: texts(raw.segments),
      capacity: 0,
      isCoordinator: false,
      active: true,
    };
    const result = resolveProfile(draft, this.territory());
    return result.ok ? [] : result.errors.filter((e) => e.field === 'departmentCodes' || e.field === 'segments');
  }

  private territory(): Territory {
    const byNetwork = new Map<string, string[]>();
    for (const department of this.reference.allDepartments()) {
      byNetwork.set(department.networkCode, [...(byNetwork.get(department.networkCode) ?? []), department.code]);
    }
    const networkCodes = [...byNetwork.keys()].sort();
    return {
      networkCodes: () => networkCodes,
      networkName: (code) => this.reference.network(code)?.name ?? code,
      networkOfDepartment: (code) => this.reference.department(code)?.networkCode,
      departmentsOfNetwork: (code) => byNetwork.get(code) ?? [],
      segmentExists: (code) => this.reference.segment(code) !== undefined,
    };
  }
}

function networkNotManaged(): ValidationFailed {
  return new ValidationFailed([{ field: 'networkCode', message: 'Choisissez un réseau que vous animez.' }]);
}

function facilitatorNotFound(): AppError {
  return new AppError('not_found', 'Facilitateur introuvable.');
}

function emailTaken(): AppError {
  const message = 'Un facilitateur utilise déjà cette adresse électronique.';
  return new AppError('conflict', message, [{ field: 'email', message }]);
}

/** DTO instances carry every declared field, absent ones as undefined: those must not erase a value. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
