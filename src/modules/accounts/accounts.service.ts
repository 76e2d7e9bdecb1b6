import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { ActionRefused, AppError, FieldError, NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { randomToken, sha256 } from '../../common/tokens';
import { isUuid } from '../../common/validation';
import { afterNetworkWord, ofPhrase } from '../../common/french-format';
import { AppConfig } from '../../config/app-config';
import { runAsOne } from '../../database/sql-statement';
import { FacilitatorChangesService } from '../directory/facilitator-changes.service';
import { MailService } from '../mail/mail.service';
import { ReferenceService } from '../reference/reference.service';
import { canManageAccount, canManageFacilitator } from './access.policy';
import { AccountsRepository, ApiTokenRow, HeldRequest, StoredAccount } from './accounts.repository';
import { chosenNetworks } from './account-networks.policy';
import { AccountLinkPurpose, ROLE_LABELS, STAFF_ROLES, StaffPrincipal, StaffRole } from './accounts.types';
import { emailProblem, normalizeEmail, passwordProblems, staffEmailProblem } from './credentials.policy';
import { AuditActor, AuditService, nameAndEmail } from '../audit/audit.service';
import { PasswordHasher } from './password-hasher';
import { AccountAtAddress, HoldingChange, RecordHolding, recordHolding } from './record-holding.policy';
import { SIGN_IN_LIMITS } from './throttle.policy';
import { ThrottleService } from './throttle.service';
import { StaffAuthService } from './staff-auth.service';

/** Who an invitation names as inviting (a staff member; the command line prints its link instead). */
type Inviter = Pick<StaffPrincipal, 'firstName' | 'lastName'>;

/** `link` null: an animator's account took the facilitator record of the same address (nothing to send). */
export interface Invitation {
  account: StoredAccount;
  link: string | null;
  created: boolean;
}

export interface AccountInput {
  email: string;
  firstName?: string;
  lastName?: string;
  role: string;
  networkCodes?: string[];
}

const LINK_LIFETIME_MS: Record<AccountLinkPurpose, number> = {
  invitation: 7 * 24 * 3600 * 1000,
  password_reset: 3600 * 1000,
};

/** Who may do what to an account is access.policy's; this service applies it and writes in one transaction. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly mail: MailService,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    private readonly facilitatorChanges: FacilitatorChangesService,
    private readonly throttle: ThrottleService,
    private readonly auth: StaffAuthService,
    private readonly audit: AuditService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Creates the account (or, when it exists without a password yet, keeps it) and returns a fresh
   * single-use link to set the password; older links stop working. `by` null: the command line,
   * which prints the link instead of mailing it.
   */
  async invite(input: AccountInput, by: StaffPrincipal | null): Promise<Invitation> {
    const animator = await this.linkedAnimator(input, by);
    if (animator) return { account: animator, link: null, created: false };
    const draft = await this.resolve(input, by);
    if (by && !canManageAccount(by, draft)) throw new NotFound();
    return this.dataSource.transaction(async (manager) => {
      let account = await this.accounts.findByEmail(draft.email, manager);
      const created = !account;
      if (account) {
        await this.accounts.lockById(manager, account.id);
        if (by && !canManageAccount(by, account)) throw accountOutOfReach();
        // A link to a deactivated account would open nothing: it is given back with « Réactiver ».
        if (!account.active) throw accountDeactivated();
        if (account.passwordHash !== null) throw accountExists();
      } else {
        const id = randomUUID();
        // The address may be a record's no account holds: the new account must be one that can hold it, and then does.
        const taken = await this.recordToTake(manager, { ...draft, id, active: true }, draft.email, by);
        await this.accounts.insert(manager, { id, ...draft, facilitatorId: taken ?? draft.facilitatorId });
        account = (await this.accounts.findByEmail(draft.email, manager))!;
      }
      const link = by ? await this.mailInvitation(manager, account, by) : await this.issueLink(manager, account.id, 'invitation');
      await this.audit.record(
        manager,
        by,
        'account_invited',
        account.networkCodes,
        `${created ? 'Invitation' : 'Nouvelle invitation'} ${ofPhrase(nameAndEmail(account))} comme ${ROLE_LABELS[account.role].toLowerCase()}${this.networksSaid(account.networkCodes)}`,
      );
      return { account, link: link.url, created };
    });
  }

  /**
   * In the caller's transaction, a directory record just written (new, or its address or network changed): the account
   * of its address, if any, must be able to hold it, since the record's e-mails go there; an animator of its network who
   * answers requests too takes it at once, no invitation to wait for. `change`: what changed, where a refusal is said.
   */
  async holdRecord(
    manager: EntityManager,
    record: { id: string; email: string; networkCode: string },
    change: 'recordEmail' | 'recordNetwork',
  ): Promise<void> {
    const found = await this.accounts.findByEmail(record.email, manager);
    if (!found) return;
    await this.accounts.lockById(manager, found.id);
    // Read again under its lock: its role, networks or record may have changed meanwhile.
    const account = await this.accounts.findByEmail(record.email, manager);
    const holding = this.holding(account, record, change);
    if (holding.kind === 'refused') throw holdingRefused(holding.error);
    if (holding.kind === 'link') await this.accounts.linkFacilitator(manager, holding.accountId, record.id);
  }

  /**
   * The record at `email` that `account` (new there, or moving there) takes, if any; refused (409 on the address) when
   * it could not hold it. Another network's record is not `by`'s to see: that the address is taken, nothing more.
   */
  private async recordToTake(
    manager: EntityManager,
    account: AccountAtAddress,
    email: string,
    by: StaffPrincipal | null,
  ): Promise<string | null> {
    const record = await this.accounts.facilitatorByEmail(manager, email);
    if (!record) return null;
    const holding = this.holding(account, record, 'accountEmail');
    if (holding.kind === 'refused' && by && !canManageFacilitator(by, record.networkCode)) {
      throw addressTaken('Cette adresse est déjà celle d’une fiche de facilitateur de l’annuaire.');
    }
    if (holding.kind === 'refused') throw holdingRefused(holding.error);
    return holding.kind === 'link' ? record.id : null;
  }

  /** record-holding.policy's answer, the record's network named as people know it. */
  private holding(account: AccountAtAddress | null, record: { id: string; networkCode: string }, change: HoldingChange): RecordHolding {
    const networkName = this.reference.network(record.networkCode)?.name ?? record.networkCode;
    return recordHolding(account, { id: record.id, networkCode: record.networkCode, networkName }, change);
  }

  /**
   * A facilitator of the directory whose address is an animator's account of that network — small networks' animators
   * answer requests too: the account takes the record (`link` null), and with it what routing gives the record; one
   * address, one account, no invitation. Anything else goes the usual way (and an animator of another network is refused).
   */
  private async linkedAnimator(input: AccountInput, by: StaffPrincipal | null): Promise<StoredAccount | null> {
    const email = normalizeEmail(input.email);
    if (input.role !== 'facilitator' || emailProblem(email)) return null;
    const animator = await this.accounts.findByEmail(email);
    if (animator?.role !== 'animator') return null;
    const record = await this.accounts.facilitatorByEmail(this.dataSource, email);
    if (!record || !animator.networkCodes.includes(record.networkCode)) return null;
    if (by && (!canManageAccount(by, animator) || !canManageFacilitator(by, record.networkCode))) throw accountOutOfReach();
    if (!animator.active) throw accountDeactivated();
    return this.dataSource.transaction(async (manager) => {
      await this.accounts.lockById(manager, animator.id);
      await this.accounts.linkFacilitator(manager, animator.id, record.id);
      return (await this.accounts.findByEmail(email, manager))!;
    });
  }

  /** A fresh single-use link to choose the password, mailed to the account by the person inviting. */
  private async mailInvitation(manager: EntityManager, account: StoredAccount, by: Inviter) {
    const link = await this.issueLink(manager, account.id, 'invitation');
    await runAsOne(
      manager,
      this.mail.prepare({
        requestId: null,
        template: 'staff-invitation',
        recipient: account.email,
        subject: 'Votre accès à l’espace du guichet vert',
        context: {
          firstName: account.firstName,
          inviter: `${by.firstName} ${by.lastName}`.trim(),
          roleLabel: ROLE_LABELS[account.role],
          // Whom they will work with: an animator's networks, a facilitator's own (admins: all).
          networks: account.role === 'admin' ? [] : account.networkCodes.map((code) => this.networkName(code)),
          link: link.url,
          expiresAt: link.expiresAt,
        },
      }),
    );
    return link;
  }

  /** The link's account, without using the link up (a GET must never consume it). */
  async accountOfLink(token: string): Promise<StoredAccount> {
    const found = await this.accounts.findUsableLink(this.dataSource, sha256(token), this.clock.now());
    if (!found) throw new NotFound();
    return found.account;
  }

  /**
   * Sets the password and uses the link up, in one transaction; `then` runs inside it (the new
   * session). Old sessions end: whoever knew the old password is signed out.
   */
  async setPasswordWithLink(
    token: string,
    password: unknown,
    revokeApiTokens: boolean,
    then: (manager: EntityManager, userId: string) => Promise<void>,
  ) {
    await this.dataSource.transaction(async (manager) => {
      const found = await this.accounts.findUsableLink(manager, sha256(token), this.clock.now());
      if (!found) throw new NotFound();
      const problems = passwordProblems(password, found.account.email);
      if (problems.length) throw new ValidationFailed(problems);
      const now = this.clock.now();
      await this.accounts.setPassword(manager, found.account.id, await this.hasher.hash(password as string));
      await this.accounts.voidLinksOf(manager, found.account.id, now);
      await this.accounts.revokeSessionsOf(manager, found.account.id, now);
      if (revokeApiTokens) await this.accounts.revokeApiTokensOf(manager, found.account.id, now);
      await then(manager, found.account.id);
    });
  }

  /** The account's live API tokens: choosing a new password offers to revoke them (scripts may hold a copied one). */
  async liveApiTokenCount(accountId: string): Promise<number> {
    return (await this.accounts.listApiTokens(accountId)).length;
  }

  /** Mails a reset link when an active account has this address; otherwise nothing, and the caller says the same. */
  async sendPasswordReset(email: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const account = await this.accounts.findByEmail(email, manager);
      if (!account?.active) return;
      await this.accounts.lockById(manager, account.id);
      const link = await this.issueLink(manager, account.id, 'password_reset');
      await runAsOne(
        manager,
        this.mail.prepare({
          requestId: null,
          template: 'password-reset',
          recipient: account.email,
          subject: 'Choisir un nouveau mot de passe — Guichet vert',
          context: { firstName: account.firstName, link: link.url, expiresAt: link.expiresAt },
        }),
      );
    });
  }

  async changePassword(
    principal: StaffPrincipal,
    sessionId: string | null,
    current: unknown,
    next: unknown,
    clientAddress: string,
  ): Promise<void> {
    const errors = await this.currentPasswordProblems(principal, current, clientAddress, 'currentPassword');
    errors.push(...passwordProblems(next, principal.email, 'newPassword'));
    if (!errors.length && next === current) {
      errors.push({ field: 'newPassword', message: 'Choisissez un nouveau mot de passe, différent de l’actuel.' });
    }
    if (errors.length) throw new ValidationFailed(errors);
    await this.dataSource.transaction(async (manager) => {
      await this.accounts.setPassword(manager, principal.id, await this.hasher.hash(next as string));
      await this.accounts.revokeSessionsOf(manager, principal.id, this.clock.now(), sessionId);
      // A reset link asked before, perhaps by whoever the password is changed against, must not undo the change.
      await this.accounts.voidLinksOf(manager, principal.id, this.clock.now());
    });
  }

  /**
   * An API token outlives a password change unless revoked: creating one asks the password again, so that a session
   * left open on a shared computer cannot leave a lasting key behind.
   */
  async createApiToken(principal: StaffPrincipal, label: unknown, password: unknown, clientAddress: string): Promise<string> {
    const name = typeof label === 'string' ? label.trim() : '';
    const errors = await this.currentPasswordProblems(principal, password, clientAddress, 'password');
    if (!name || name.length > 100) {
      errors.unshift({ field: 'label', message: 'Donnez au jeton un nom de 100 caractères au plus, par exemple « Script de suivi ».' });
    }
    if (errors.length) throw new ValidationFailed(errors);
    return this.dataSource.transaction(async (manager) => {
      const token = await this.auth.createApiToken(principal.id, name, manager);
      await this.audit.record(
        manager,
        principal,
        'api_token_created',
        principal.networkCodes,
        `Jeton d’API « ${name} » créé pour son compte`,
      );
      return token;
    });
  }

  /**
   * The person's own password, asked again before a sensitive change: a wrong one counts as a failed sign-in, under
   * the same throttle (a session left open must not let anyone try passwords at will).
   */
  private async currentPasswordProblems(
    principal: StaffPrincipal,
    typed: unknown,
    clientAddress: string,
    field: string,
  ): Promise<FieldError[]> {
    const account = await this.accounts.findById(principal.id);
    if (!account) throw new NotFound();
    await this.throttle.refuseWhenThrottled('sign_in_failure', account.email, clientAddress, SIGN_IN_LIMITS).catch((error: unknown) => {
      // Said beside the field, as its other errors are.
      if (!(error instanceof AppError)) throw error;
      throw new AppError(error.code, error.message, [{ field, message: error.message }], error.extra);
    });
    if (typeof typed !== 'string' || typed === '') return [{ field, message: 'Saisissez votre mot de passe.' }];
    if (await this.hasher.verify(account.passwordHash, typed)) return [];
    await this.throttle.record('sign_in_failure', account.email, clientAddress);
    return [{ field, message: 'Ce n’est pas votre mot de passe.' }];
  }

  async updateNames(principal: StaffPrincipal, firstName: unknown, lastName: unknown): Promise<void> {
    const names = nameProblems(firstName, lastName, true);
    if (names.errors.length) throw new ValidationFailed(names.errors);
    await this.accounts.updateNames(principal.id, names.firstName, names.lastName);
  }

  /** The accounts the person may manage (admin: all; animator: those of their networks). */
  async manageable(by: StaffPrincipal): Promise<StoredAccount[]> {
    const accounts = await this.accounts.list(by.role === 'admin' ? null : by.networkCodes);
    return accounts.filter((account) => account.id !== by.id && canManageAccount(by, account));
  }

  /** The account `by` may deactivate or give back (never their own, never outside their networks), else 404. */
  async manageableAccount(by: StaffPrincipal, userId: string, manager?: EntityManager): Promise<StoredAccount> {
    const target = isUuid(userId) ? await this.accounts.findById(userId, manager) : null;
    if (!target || target.id === by.id || !canManageAccount(by, target)) throw new NotFound();
    return target;
  }

  /**
   * The open requests a facilitator's account still holds, as `by` may see them: what someone leaving leaves to give to
   * others (none for an account without a record).
   */
  heldRequests(by: StaffPrincipal, account: StoredAccount): Promise<HeldRequest[]> {
    return account.facilitatorId ? this.accounts.heldRequests(by, account.facilitatorId) : Promise.resolve([]);
  }

  /** Deactivation ends every session, token and pending link of the account at once. */
  /**
   * Cuts the person off at once; `stopRouting`: a facilitator's record stops receiving requests too, in the same
   * transaction (whether it did is returned: it may have been so already).
   */
  async deactivate(by: StaffPrincipal, userId: string, options: { stopRouting: boolean }): Promise<{ routingStopped: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const target = await this.manageableAccount(by, userId, manager);
      await this.accounts.lockById(manager, target.id);
      const now = this.clock.now();
      await this.accounts.setActive(manager, target.id, false);
      await this.accounts.revokeSessionsOf(manager, target.id, now);
      await this.accounts.revokeApiTokensOf(manager, target.id, now);
      await this.accounts.voidLinksOf(manager, target.id, now);
      const routingStopped =
        options.stopRouting && target.facilitatorId !== null && (await this.facilitatorChanges.stopRouting(manager, target.facilitatorId));
      await this.audit.record(
        manager,
        by,
        'account_deactivated',
        target.networkCodes,
        `Compte ${ofPhrase(nameAndEmail(target))} désactivé${routingStopped ? ' ; sa fiche ne reçoit plus de demandes' : ''}`,
      );
      return { routingStopped };
    });
  }

  /** An animator's account `by` may manage; another role's has no networks to choose (409), one not theirs is a 404. */
  async manageableAnimator(by: StaffPrincipal, userId: string, manager?: EntityManager): Promise<StoredAccount> {
    const target = await this.manageableAccount(by, userId, manager);
    if (target.role !== 'animator') {
      throw new ActionRefused(
        'Seul un compte d’animateur a des réseaux à choisir : un facilitateur relève du réseau de sa fiche, un administrateur les voit tous.',
      );
    }
    return target;
  }

  /**
   * An animator's networks, chosen again by whoever manages the account (never one's own). Other roles have none to
   * choose: a facilitator belongs to their record's network, an admin sees them all.
   */
  async setAnimatorNetworks(by: StaffPrincipal, userId: string, input: unknown): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const target = await this.manageableAnimator(by, userId, manager);
      await this.accounts.lockById(manager, target.id);
      const allowed = by.role === 'admin' ? this.reference.allNetworks().map((network) => network.code) : by.networkCodes;
      const chosen = chosenNetworks(input, allowed);
      if (chosen.errors.length) throw new ValidationFailed(chosen.errors);
      // The record this animator holds has its requests' e-mails sent to them: its network must stay theirs.
      const held = target.facilitatorId && (await this.accounts.facilitatorById(manager, target.facilitatorId));
      if (held) {
        const holding = this.holding({ ...target, networkCodes: chosen.networkCodes }, held, 'accountNetworks');
        if (holding.kind === 'refused') throw holdingRefused(holding.error);
      }
      await this.accounts.setNetworks(manager, target.id, chosen.networkCodes);
      await this.audit.record(
        manager,
        by,
        'account_networks_changed',
        [...target.networkCodes, ...chosen.networkCodes],
        `Réseaux animés par ${nameAndEmail(target)} : ${this.networkNames(chosen.networkCodes)} (avant : ${this.networkNames(target.networkCodes)})`,
      );
    });
  }

  /**
   * Gives a deactivated account its access back: its password works again; one never chosen gets a fresh
   * invitation link by e-mail. Whether a link was sent is returned for the manager's notice; `routingOff`, the
   * facilitator record the deactivation took out of routing, still receiving no request — giving the account back
   * does not decide that: the page says so and leads to the record.
   */
  async reactivate(by: StaffPrincipal, userId: string): Promise<{ invited: boolean; routingOff: string | null }> {
    return this.dataSource.transaction(async (manager) => {
      if (!isUuid(userId)) throw new NotFound();
      await this.accounts.lockById(manager, userId);
      const target = await this.manageableAccount(by, userId, manager);
      if (target.active) return { invited: false, routingOff: null };
      await this.accounts.setActive(manager, target.id, true);
      await this.audit.record(manager, by, 'account_reactivated', target.networkCodes, `Compte ${ofPhrase(nameAndEmail(target))} réactivé`);
      const routingOff =
        target.facilitatorId && !(await this.accounts.receivesRequests(manager, target.facilitatorId)) ? target.facilitatorId : null;
      if (target.passwordHash !== null) return { invited: false, routingOff };
      await this.mailInvitation(manager, target, by);
      return { invited: true, routingOff };
    });
  }

  /**
   * A new address for an account `by` manages (a typo in the invitation, a new domain): sign-in, e-mails and, for an
   * account holding a facilitator record, the record's, together. An invitation not used yet goes again to the new
   * address (the old link stops working); otherwise the person is told at both addresses.
   */
  async changeEmail(by: StaffPrincipal, userId: string, value: unknown): Promise<{ changed: boolean; invited: boolean }> {
    const email = normalizeEmail(value);
    const problem = staffEmailProblem(email);
    if (problem) throw new ValidationFailed([{ field: 'email', message: problem }]);
    return this.dataSource.transaction(async (manager) => {
      if (!isUuid(userId)) throw new NotFound();
      await this.accounts.lockById(manager, userId);
      const target = await this.manageableAccount(by, userId, manager);
      if (target.email === email) return { changed: false, invited: false };
      await this.readdress(manager, target, email, by, by);
      await this.audit.record(
        manager,
        by,
        'account_email_changed',
        target.networkCodes,
        `Adresse du compte ${ofPhrase(`${target.firstName} ${target.lastName}`)} : ${target.email} → ${email}`,
      );
      return { changed: true, invited: await this.reinviteIfPending(manager, target, email, by) };
    });
  }

  /**
   * In the caller's transaction (a directory record's address changed): the account holding the record follows it, so
   * that the person signs in with the address they receive requests at.
   */
  async followRecordEmail(manager: EntityManager, facilitatorId: string, email: string, by: AuditActor): Promise<void> {
    const account = await this.accounts.findByFacilitator(manager, facilitatorId);
    if (!account || account.email === email) return;
    await this.accounts.lockById(manager, account.id);
    // No `by` to hide another network's record from: a holder's new address is never another record's (see readdress).
    await this.readdress(manager, account, email, null, by);
    if (by) await this.reinviteIfPending(manager, account, email, by);
  }

  /**
   * An invitation not used yet went to the old address (often the typo being mended): a fresh one goes to the new (the
   * move voided the old link). Answers whether one was sent.
   */
  private async reinviteIfPending(manager: EntityManager, account: StoredAccount, email: string, by: Inviter): Promise<boolean> {
    if (account.passwordHash !== null || !account.active) return false;
    await this.mailInvitation(manager, { ...account, email }, by);
    return true;
  }

  /**
   * Moves the account (and its record) to `email`, refused when another account or record has it — unless the account,
   * holding none, may hold that record, and then takes it; tells both addresses who made the change (`changedBy`; null: an
   * import of the directory from the command line), so an unexpected one can be questioned.
   */
  private async readdress(
    manager: EntityManager,
    account: StoredAccount,
    email: string,
    by: StaffPrincipal | null,
    changedBy: AuditActor,
  ): Promise<void> {
    const other = await this.accounts.findByEmail(email, manager);
    if (other && other.id !== account.id) throw addressTaken('Cette adresse est déjà celle d’un autre compte de l’espace.');
    if (account.facilitatorId && (await this.accounts.facilitatorEmailTaken(manager, email, account.facilitatorId))) {
      throw addressTaken('Cette adresse est déjà celle d’une autre fiche de facilitateur.');
    }
    const taken = account.facilitatorId ? null : await this.recordToTake(manager, account, email, by);
    await this.accounts.setEmail(manager, account.id, account.facilitatorId, email);
    if (taken) await this.accounts.linkFacilitator(manager, account.id, taken);
    // A link sent to the old address (a reset, an invitation) would still open the account: that mailbox may be another's now.
    await this.accounts.voidLinksOf(manager, account.id, this.clock.now());
    if (account.passwordHash === null || !account.active) return;
    await runAsOne(
      manager,
      this.mail.prepareMany(
        [account.email, email].map((recipient) => ({
          requestId: null,
          template: 'staff-email-changed',
          recipient,
          subject: 'Votre adresse de connexion à l’espace du guichet vert a changé',
          context: {
            firstName: account.firstName,
            previous: account.email,
            next: email,
            toPrevious: recipient === account.email,
            changedBy: changedBy && nameAndEmail(changedBy),
          },
        })),
      ),
    );
  }

  /**
   * « , pour les réseaux RESECO, Grand Est » for a journal line, as the invitation mail says it (a parenthesis after the
   * person's « (adresse) » read as nested); nothing when there are none (an admin's account).
   */
  private networksSaid(codes: readonly string[]): string {
    const names = codes.map((code) => afterNetworkWord(this.networkName(code)));
    return codes.length ? `, pour ${codes.length > 1 ? 'les réseaux' : 'le réseau'} ${names.join(', ')}` : '';
  }

  private networkNames(codes: readonly string[]): string {
    return codes.length ? codes.map((code) => this.networkName(code)).join(', ') : 'aucun';
  }

  private networkName(code: string): string {
    return this.reference.network(code)?.name ?? code;
  }

  async activeAccount(email: string): Promise<StoredAccount | null> {
    const account = await this.accounts.findByEmail(email);
    return account?.active ? account : null;
  }

  apiTokens(principal: StaffPrincipal): Promise<ApiTokenRow[]> {
    return this.accounts.listApiTokens(principal.id);
  }

  async revokeApiToken(principal: StaffPrincipal, tokenId: string): Promise<void> {
    if (!isUuid(tokenId) || !(await this.accounts.revokeApiToken(principal.id, tokenId, this.clock.now()))) {
      throw new AppError('not_found', 'Jeton introuvable.');
    }
  }

  /** Roles an inviter may offer (animators cannot create admins). */
  invitableRoles(by: StaffPrincipal): StaffRole[] {
    return by.role === 'admin' ? [...STAFF_ROLES] : by.role === 'animator' ? ['facilitator', 'animator'] : [];
  }

  private async issueLink(manager: EntityManager, userId: string, purpose: AccountLinkPurpose): Promise<{ url: string; expiresAt: Date }> {
    const token = randomToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS[purpose]);
    await this.accounts.voidLinksOf(manager, userId, now);
    await this.accounts.insertLink(manager, { id: randomUUID(), userId, purpose, tokenHash: sha256(token), now, expiresAt });
    return { url: `${this.config.PUBLIC_URL}/mot-de-passe/nouveau/${token}`, expiresAt };
  }

  /**
   * Checks the fields and completes them: a facilitator account takes its names and network from the directory. What
   * lies outside `by`'s networks reads as plainly as what does not exist: an animator learns neither the role of
   * another network's account nor who is in another network's directory.
   */
  private async resolve(input: AccountInput, by: StaffPrincipal | null) {
    const errors: FieldError[] = [];
    const email = normalizeEmail(input.email);
    const problem = staffEmailProblem(email);
    if (problem) errors.push({ field: 'email', message: problem });
    const role = STAFF_ROLES.find((r) => r === input.role);
    if (!role) errors.push({ field: 'role', message: 'Choisissez un rôle : facilitateur, animateur ou administrateur.' });
    const existing = email && !problem ? await this.accounts.findByEmail(email) : null;
    if (existing && by && !canManageAccount(by, existing)) throw accountOutOfReach();
    // One address, one account, one role: inviting it under another says so (it read « not in the directory »).
    if (existing && role && existing.role !== role) {
      errors.push({
        field: 'email',
        message: `Un compte existe déjà pour cette adresse, avec le rôle « ${ROLE_LABELS[existing.role].toLowerCase()} ».`,
      });
    }
    const listed = role === 'facilitator' && !errors.length ? await this.accounts.facilitatorByEmail(this.dataSource, email) : null;
    const directory = listed && (!by || canManageFacilitator(by, listed.networkCode)) ? listed : null;
    if (role === 'facilitator' && !errors.length && !directory) {
      errors.push({ field: 'email', message: 'Aucun facilitateur de l’annuaire n’a cette adresse : ajoutez-le d’abord à l’annuaire.' });
    }
    // Names left empty come from the directory (facilitators) or from the account being invited again.
    const names = nameProblems(
      input.firstName || directory?.firstName || existing?.firstName,
      input.lastName || directory?.lastName || existing?.lastName,
      role === 'animator',
    );
    errors.push(...names.errors);
    const networkCodes = [...new Set(input.networkCodes ?? [])];
    if (role === 'animator') {
      const unknown = networkCodes.filter((code) => !this.reference.network(code));
      if (!networkCodes.length) errors.push({ field: 'networkCodes', message: 'Choisissez au moins un réseau.' });
      else if (unknown.length) errors.push({ field: 'networkCodes', message: `Réseau inconnu : ${unknown.join(', ')}.` });
    } else if (role === 'admin' && networkCodes.length) {
      errors.push({ field: 'networkCodes', message: 'Un administrateur voit tous les réseaux : ne cochez aucun réseau.' });
    }
    if (errors.length) throw new ValidationFailed(errors);
    return {
      email,
      firstName: names.firstName,
      lastName: names.lastName,
      role: role!,
      facilitatorId: directory?.id ?? null,
      networkCodes: role === 'animator' ? networkCodes : directory ? [directory.networkCode] : [],
    };
  }
}

function accountExists(): AppError {
  const message = 'Un compte existe déjà pour cette adresse et son mot de passe est choisi.';
  return new AppError('conflict', message, [{ field: 'email', message }]);
}

/** An account another network's animator may not see: that it exists, nothing more (one address, one account). */
function accountOutOfReach(): AppError {
  const message = 'Un compte existe déjà pour cette adresse.';
  return new AppError('conflict', message, [{ field: 'email', message }]);
}

function addressTaken(message: string): AppError {
  return new AppError('conflict', message, [{ field: 'email', message }]);
}

/** What record-holding.policy refused, as a 409 on the field changed. */
function holdingRefused(error: FieldError): AppError {
  return new AppError('conflict', error.message, [error]);
}

function accountDeactivated(): AppError {
  const message = 'Ce compte est désactivé : réactivez-le depuis la liste des comptes ci-dessus.';
  return new AppError('conflict', message, [{ field: 'email', message }]);
}

function nameProblems(firstName: unknown, lastName: unknown, required: boolean) {
  const clean = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const result = { firstName: clean(firstName), lastName: clean(lastName), errors: [] as FieldError[] };
  for (const [field, label] of [
    ['firstName', 'le prénom'],
    ['lastName', 'le nom'],
  ] as const) {
    if (required && !result[field]) result.errors.push({ field, message: `Indiquez ${label}.` });
    else if (result[field].length > 100) result.errors.push({ field, message: `Indiquez ${label} en 100 caractères au plus.` });
  }
  return result;
}
