import { pageOf, pagingLinks, requestedPage } from '../../web/paging';
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ofPhrase } from '../../common/french-format';
import { renderConfirmAction } from '../../web/confirm-action';
import {
  ACCOUNT_STATES,
  AccountFilters,
  accountListUrl,
  ACCOUNTS_PAGE_SIZE,
  AccountState,
  accountState,
  filterAccounts,
  networksWithoutAnimator,
  parseAccountFilters,
} from './account-list.policy';
import { FormModel, formModel, onFieldErrors } from '../../web/form-model';
import { noticeOf } from '../../web/notices';
import { ReferenceService } from '../reference/reference.service';
import type { StoredAccount } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { ROLE_LABELS, STAFF_ROLES, StaffPrincipal, StaffSessionRef } from './accounts.types';
import { STAFF_STATUS_LABELS } from '../requests/request.types';
import { CurrentStaff, CurrentStaffSession, StaffGuard, StaffRoles } from './staff.guard';

type Form = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  profil: 'Vos nom et prénom sont enregistrés.',
  'mot-de-passe': 'Votre mot de passe est changé. Vos autres sessions sont fermées.',
  revocation: 'Le jeton est révoqué : il ne donne plus accès à l’API.',
  invitation: 'L’invitation est envoyée par courriel. Le lien est valable 7 jours.',
  rattachement:
    'Cette adresse est celle d’un compte animateur du réseau : sa fiche de facilitateur lui est rattachée. Avec ce même compte, la personne prend en charge et répond aux demandes que le routage lui confie.',
  desactivation: 'Le compte est désactivé : ses sessions et jetons ne fonctionnent plus.',
  adresse:
    'L’adresse est changée : la personne se connecte désormais avec elle (sa fiche de facilitateur aussi, s’il en a une) ; un message le lui dit à l’ancienne et à la nouvelle adresse.',
  'adresse-invitation':
    'L’adresse est changée et l’invitation envoyée de nouveau à cette adresse ; le lien envoyé à l’ancienne ne fonctionne plus.',
  'adresse-inchangee': 'C’était déjà l’adresse de ce compte : rien n’a changé.',
  reseaux: 'Les réseaux animés sont enregistrés : ils s’appliquent dès la page suivante de la personne.',
  'desactivation-routage':
    'Le compte est désactivé et sa fiche ne reçoit plus de demandes : celles qui n’étaient pas prises en charge passent à un collègue ; confiez celles en cours à un autre facilitateur.',
  reactivation:
    'Le compte est réactivé : la personne se connecte avec son mot de passe (ou le choisit de nouveau par « Mot de passe oublié »).',
  'reactivation-invitation':
    'Le compte est réactivé : une invitation à choisir un mot de passe, valable 7 jours, est envoyée par courriel.',
};

/** « Mon compte » for every staff member, and « Comptes » (invitations) for admins and animators. */
@ApiExcludeController()
@UseGuards(StaffGuard)
@Controller('espace')
export class AccountPagesController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly reference: ReferenceService,
  ) {}

  @Get('compte')
  async myAccount(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Query('fait') done: unknown) {
    await this.renderMyAccount(res, staff, 200, { notice: noticeOf(NOTICES, done) });
  }

  @Post('compte/profil')
  async saveNames(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Body() body: Form = {}) {
    await onFieldErrors(
      () => this.accounts.updateNames(staff, body.firstName, body.lastName),
      (errors) => this.renderMyAccount(res, staff, 400, { profile: formModel(body, errors) }),
      () => res.redirect(303, '/espace/compte?fait=profil'),
    );
  }

  @Post('compte/mot-de-passe')
  async changePassword(
    @CurrentStaff() staff: StaffPrincipal,
    @CurrentStaffSession() session: StaffSessionRef,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Form = {},
  ) {
    await onFieldErrors(
      () => this.accounts.changePassword(staff, session.id, body.currentPassword, body.newPassword, req.ip ?? 'unknown'),
      (errors, error) => this.renderMyAccount(res, staff, error.status, { password: formModel({}, errors) }),
      () => res.redirect(303, '/espace/compte?fait=mot-de-passe'),
    );
  }

  /** The token is shown on this answer only; afterwards only its label and dates are. */
  @Post('compte/jetons')
  async createToken(@CurrentStaff() staff: StaffPrincipal, @Req() req: Request, @Res() res: Response, @Body() body: Form = {}) {
    await onFieldErrors(
      () => this.accounts.createApiToken(staff, body.label, body.password, req.ip ?? 'unknown'),
      (errors, error) => this.renderMyAccount(res, staff, error.status, { token: formModel({ label: body.label }, errors) }),
      (newToken) => this.renderMyAccount(res, staff, 201, { newToken: { label: String(body.label).trim(), value: newToken } }),
    );
  }

  @Post('compte/jetons/:id/revocation')
  async revokeToken(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Param('id') id: string) {
    await this.accounts.revokeApiToken(staff, id);
    res.redirect(303, '/espace/compte?fait=revocation');
  }

  @Get('comptes')
  @StaffRoles('admin', 'animator')
  async accountList(
    @CurrentStaff() staff: StaffPrincipal,
    @Res() res: Response,
    @Query('fait') done: unknown,
    @Query('email') email: unknown,
    @Query() query: Record<string, unknown>,
  ) {
    // The directory's « invitez-le » link names the new facilitator's address; an animator's only network is the one to animate.
    const invite = formModel({
      role: 'facilitator',
      email: typeof email === 'string' ? email.slice(0, 254) : undefined,
      networkCodes: staff.role === 'animator' && staff.networkCodes.length === 1 ? staff.networkCodes : [],
    });
    await this.renderAccounts(res, staff, 200, invite, noticeOf(NOTICES, done), parseAccountFilters(query), requestedPage(query.page));
  }

  @Post('comptes')
  @StaffRoles('admin', 'animator')
  async invite(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Body() body: Form = {}) {
    const networkCodes = ([] as unknown[]).concat(body.networkCodes ?? []).filter((code): code is string => typeof code === 'string');
    await onFieldErrors(
      () =>
        this.accounts.invite(
          {
            email: String(body.email ?? ''),
            firstName: str(body.firstName),
            lastName: str(body.lastName),
            role: String(body.role ?? ''),
            networkCodes,
          },
          staff,
        ),
      (errors) => this.renderAccounts(res, staff, 400, formModel({ ...body, networkCodes }, errors)),
      ({ link }) => res.redirect(303, `/espace/comptes?fait=${link === null ? 'rattachement' : 'invitation'}`),
    );
  }

  @Get('comptes/:id/reseaux')
  @StaffRoles('admin', 'animator')
  async networksForm(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Param('id') id: string) {
    const account = await this.accounts.manageableAnimator(staff, id);
    this.renderNetworks(res, staff, 200, account, formModel({ networkCodes: account.networkCodes }));
  }

  @Post('comptes/:id/reseaux')
  @StaffRoles('admin', 'animator')
  async saveNetworks(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Param('id') id: string, @Body() body: Form = {}) {
    const account = await this.accounts.manageableAnimator(staff, id);
    await onFieldErrors(
      () => this.accounts.setAnimatorNetworks(staff, account.id, body.networkCodes),
      (errors, error) =>
        this.renderNetworks(
          res,
          staff,
          error.status,
          account,
          formModel({ networkCodes: ([] as unknown[]).concat(body.networkCodes ?? []) }, errors),
        ),
      () => res.redirect(303, '/espace/comptes?fait=reseaux'),
    );
  }

  @Get('comptes/:id/adresse')
  @StaffRoles('admin', 'animator')
  async emailForm(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Param('id') id: string) {
    const account = await this.accounts.manageableAccount(staff, id);
    renderEmail(res, 200, account, formModel({ email: account.email }));
  }

  @Post('comptes/:id/adresse')
  @StaffRoles('admin', 'animator')
  async saveEmail(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Param('id') id: string, @Body() body: Form = {}) {
    const account = await this.accounts.manageableAccount(staff, id);
    await onFieldErrors(
      () => this.accounts.changeEmail(staff, account.id, body.email),
      (errors, error) => renderEmail(res, error.status, account, formModel(body, errors)),
      ({ changed, invited }) =>
        res.redirect(303, `/espace/comptes?fait=${!changed ? 'adresse-inchangee' : invited ? 'adresse-invitation' : 'adresse'}`),
    );
  }

  /**
   * Deactivating cuts someone off at once: the list's « Désactiver » leads here first. Once done, the same address
   * lists what the person still holds, to give to others (without any, the accounts list says it is done).
   */
  @Get('comptes/:id/desactivation')
  @StaffRoles('admin', 'animator')
  async confirmDeactivation(
    @CurrentStaff() staff: StaffPrincipal,
    @Res() res: Response,
    @Param('id') id: string,
    @Query('fait') done: unknown,
  ) {
    const account = await this.accounts.manageableAccount(staff, id);
    const held = (await this.accounts.heldRequests(staff, account)).map((r) => ({ ...r, statusLabel: STAFF_STATUS_LABELS[r.status] }));
    const name = `${account.firstName} ${account.lastName}`;
    if (!account.active) {
      if (!held.length) return res.redirect(303, '/espace/comptes');
      return res.render('account-deactivated', {
        title: `Compte ${ofPhrase(name)} désactivé`,
        notice: noticeOf(NOTICES, done),
        name,
        held,
      });
    }
    renderConfirmAction(res, {
      title: `Désactiver le compte ${ofPhrase(name)}`,
      explanation: [
        `${name} ne pourra plus se connecter : ses sessions ouvertes et ses jetons d’API cessent aussitôt de fonctionner, et un lien d’invitation ou de mot de passe en cours ne s’ouvre plus.`,
        'Les demandes et l’historique restent tels quels.',
        'Vous pourrez lui rendre l’accès avec « Réactiver ».',
      ],
      held: held.length ? { intro: `${name} suit en ce moment ${heldCount(held.length)} :`, requests: held } : undefined,
      // The account rules access only; the record, who receives requests: someone leaving needs both.
      option: account.facilitatorId
        ? {
            name: 'routage',
            label: 'Ne plus lui confier de demandes',
            hint: 'Décoche « Reçoit des demandes » sur sa fiche de facilitateur : les demandes pas encore prises en charge passent à un collègue ; celles en cours restent à confier à un autre depuis leur page, listée ci-dessus et après la désactivation.',
          }
        : undefined,
      action: `/espace/comptes/${account.id}/desactivation`,
      confirmLabel: 'Oui, désactiver le compte',
      back: { href: '/espace/comptes', label: 'Non, revenir aux comptes' },
    });
  }

  @Post('comptes/:id/desactivation')
  @StaffRoles('admin', 'animator')
  async deactivate(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Param('id') id: string, @Body() body: Form = {}) {
    const { routingStopped } = await this.accounts.deactivate(staff, id, { stopRouting: body.routage === 'oui' });
    const done = routingStopped ? 'desactivation-routage' : 'desactivation';
    // What they still hold is listed at the same address, to give to others; with nothing, back to the list.
    const held = await this.accounts.heldRequests(staff, await this.accounts.manageableAccount(staff, id));
    res.redirect(303, held.length ? `/espace/comptes/${id}/desactivation?fait=${done}` : `/espace/comptes?fait=${done}`);
  }

  @Post('comptes/:id/reactivation')
  @StaffRoles('admin', 'animator')
  async reactivate(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Param('id') id: string) {
    const { invited, routingOff } = await this.accounts.reactivate(staff, id);
    const done = invited ? 'reactivation-invitation' : 'reactivation';
    // Straight to the record whose « Reçoit des demandes » is still unticked, rather than let it be forgotten.
    res.redirect(303, routingOff ? `/espace/facilitateurs/${routingOff}/fiche?fait=${done}` : `/espace/comptes?fait=${done}`);
  }

  private async renderMyAccount(res: Response, staff: StaffPrincipal, status: number, parts: Record<string, unknown>) {
    res.status(status).render('my-account', {
      title: 'Mon compte',
      roleLabel: ROLE_LABELS[staff.role],
      networks: staff.networkCodes.map((code) => this.reference.network(code)?.name ?? code),
      tokens: await this.accounts.apiTokens(staff),
      profile: formModel({ firstName: staff.firstName, lastName: staff.lastName }),
      password: formModel(),
      token: formModel(),
      ...parts,
    });
  }

  private renderNetworks(res: Response, staff: StaffPrincipal, status: number, account: StoredAccount, form: FormModel) {
    res.status(status).render('account-networks', {
      title: `Réseaux animés par ${account.firstName} ${account.lastName}`,
      account,
      networks: this.networkOptions(staff),
      form,
    });
  }

  /** The networks this person may give: an admin all, an animator their own. */
  private networkOptions(staff: StaffPrincipal) {
    const networks =
      staff.role === 'admin' ? this.reference.allNetworks() : staff.networkCodes.map((code) => this.reference.network(code)!);
    return networks.filter(Boolean).map((network) => ({ value: network.code, label: network.name }));
  }

  private async renderAccounts(
    res: Response,
    staff: StaffPrincipal,
    status: number,
    invite: ReturnType<typeof formModel>,
    notice?: string,
    filters: AccountFilters = parseAccountFilters({}),
    requested = 1,
  ) {
    const manageable = await this.accounts.manageable(staff);
    const listed = filterAccounts(manageable, filters);
    const paged = pageOf(listed.length, requested, ACCOUNTS_PAGE_SIZE);
    res.status(status).render('accounts', {
      title: 'Comptes',
      notice,
      filters,
      filtered: Object.values(filters).some((value) => value !== null),
      total: manageable.length,
      listed: listed.length,
      ...pagingLinks(paged, (page) => accountListUrl(filters, page)),
      stateOptions: ACCOUNT_STATES.map((value) => ({ value, label: ACCOUNT_STATE_LABELS[value] })),
      // The roles of the accounts this person manages: an animator's list holds no admin.
      roleOptions: STAFF_ROLES.filter((role) => manageable.some((account) => account.role === role)).map((value) => ({
        value,
        label: ROLE_LABELS[value],
      })),
      accounts: listed.slice(paged.offset, paged.offset + ACCOUNTS_PAGE_SIZE).map((account) => ({
        ...account,
        roleLabel: ROLE_LABELS[account.role],
        state: accountState(account),
        stateLabel: ACCOUNT_STATE_LABELS[accountState(account)],
        networkNames: account.networkCodes.map((code) => this.reference.network(code)?.name ?? code),
      })),
      roles: this.accounts.invitableRoles(staff).map((role) => ({ value: role, label: ROLE_LABELS[role] })),
      networks: this.networkOptions(staff),
      // An admin manages every animator: the list tells which networks none runs (an animator runs theirs).
      withoutAnimator:
        staff.role === 'admin'
          ? networksWithoutAnimator(
              manageable,
              this.reference.allNetworks().map((n) => n.code),
            ).map((code) => this.reference.network(code)?.name ?? code)
          : [],
      invite,
    });
  }
}

const ACCOUNT_STATE_LABELS: Record<AccountState, string> = {
  active: 'actif',
  pending: 'invitation en attente',
  inactive: 'désactivé',
};

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function renderEmail(res: Response, status: number, account: StoredAccount, form: FormModel): void {
  const { id, firstName, lastName, facilitatorId, passwordHash } = account;
  res.status(status).render('account-email', {
    title: `Adresse de connexion de ${firstName} ${lastName}`,
    account: { id, facilitatorId, hasPassword: passwordHash !== null },
    form,
  });
}

/** « 1 demande ouverte », « 3 demandes ouvertes ». */
function heldCount(count: number): string {
  return count > 1 ? `${count} demandes ouvertes` : '1 demande ouverte';
}
