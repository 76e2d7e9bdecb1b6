import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { formRepeatKey } from '../../common/idempotency-key';
import { randomToken } from '../../common/tokens';
import { typedText } from '../../common/validation';
import { AppError, FieldError, isRefusal } from '../../common/errors/app-errors';
import { FormModel, formModel, onFieldErrors } from '../../web/form-model';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { ReferenceService } from '../reference/reference.service';
import { KIND_LABELS, otherKind, REQUEST_KINDS, STAFF_STATUS_LABELS } from '../requests/request.types';
import { refusalOnPage, refusedOnPage, seenStateToken } from '../requests/seen-state.policy';
import { transferRefusal } from '../intake/eligibility.policy';
import { RequestPageRenderer } from '../workspace/request-page.renderer';
import { BeyondCapacityUnconfirmed } from '../routing/beyond-capacity.policy';
import type { DispatchSummary } from './dispatch.repository';
import { DispatchService, Invitations } from './dispatch.service';
import { MAX_SPLIT_TOPICS, SPLIT_TOPIC_FIELDS } from './split.policy';

type Form = Record<string, unknown>;

const AUTOMATIC = 'auto';

/** The dispatch forms of the request page: transfer, split, reassign, take from the pool; and the facilitators' load. */
@ApiExcludeController()
@UseGuards(StaffGuard)
@Controller('espace')
export class DispatchPagesController {
  constructor(
    private readonly dispatch: DispatchService,
    private readonly reference: ReferenceService,
    private readonly requestPage: RequestPageRenderer,
  ) {}

  @Get('demandes/:ref/transfert')
  async transferForm(@CurrentStaff() staff: StaffPrincipal, @Param('ref') ref: string, @Res() res: Response) {
    this.renderTransfer(res, 200, await this.dispatch.redirectable(staff, ref), formModel());
  }

  @Post('demandes/:ref/transfert')
  async transfer(@CurrentStaff() staff: StaffPrincipal, @Param('ref') ref: string, @Res() res: Response, @Body() body: Form = {}) {
    await onFieldErrors(
      () => this.dispatch.transfer(staff, ref, body),
      // Its holder's page, given to a colleague meanwhile: no longer theirs to see, the refusal and their reason still are.
      async (errors, error) =>
        this.requestPage.orRefusalAlone(
          res,
          staff,
          ref,
          error,
          isRefusal(error) ? { typed: typedText(body.reason) || null } : null,
          async () =>
            this.renderTransfer(res, error.status, await this.dispatch.redirectable(staff, ref), ...sentBack(body, errors, error)),
        ),
      // The holder no longer sees a transferred request: back to the queue.
      () =>
        res.redirect(
          303,
          staff.role === 'facilitator' ? '/espace?fait=transfert' : `/espace/demandes/${encodeURIComponent(ref)}?fait=transfert`,
        ),
    );
  }

  @Get('demandes/:ref/scission')
  async splitForm(@CurrentStaff() staff: StaffPrincipal, @Param('ref') ref: string, @Res() res: Response) {
    const request = await this.dispatch.redirectable(staff, ref);
    // Each new topic starts as the request's kind and segment, the subject as the buyer wrote it: most splits keep them.
    const slots = Array.from({ length: MAX_SPLIT_TOPICS }, (_, i) => [
      [`topics.${i}.kind`, request.kind],
      [`topics.${i}.segment`, request.segmentCode],
    ]).flat();
    this.renderSplit(res, 200, request, formModel({ formToken: randomToken(), subject: request.subject, ...Object.fromEntries(slots) }));
  }

  @Post('demandes/:ref/scission')
  async split(@CurrentStaff() staff: StaffPrincipal, @Param('ref') ref: string, @Res() res: Response, @Body() body: Form = {}) {
    const topics = Array.from({ length: MAX_SPLIT_TOPICS }, (_, i) =>
      Object.fromEntries(SPLIT_TOPIC_FIELDS.map((name) => [name, body[`topics.${i}.${name}`]])),
    );
    await onFieldErrors(
      () => this.dispatch.split(staff, ref, { topics, subject: body.subject }, formRepeatKey(body.formToken)),
      async (errors) => this.renderSplit(res, 400, await this.dispatch.redirectable(staff, ref), formModel(body, errors)),
      () => res.redirect(303, `/espace/demandes/${encodeURIComponent(ref)}?fait=scission`),
    );
  }

  @Get('demandes/:ref/reaffectation')
  @StaffRoles('admin', 'animator')
  async reassignForm(@CurrentStaff() staff: StaffPrincipal, @Param('ref') ref: string, @Res() res: Response) {
    await this.renderReassign(res, 200, staff, ref, formModel());
  }

  @Post('demandes/:ref/reaffectation')
  @StaffRoles('admin', 'animator')
  async reassign(@CurrentStaff() staff: StaffPrincipal, @Param('ref') ref: string, @Res() res: Response, @Body() body: Form = {}) {
    if (!body.facilitatorId) {
      const message = 'Choisissez un facilitateur, ou la remise en attribution automatique.';
      return this.renderReassign(res, 400, staff, ref, formModel(body, [{ field: 'facilitatorId', message }]));
    }
    const facilitatorId = body.facilitatorId === AUTOMATIC ? undefined : body.facilitatorId;
    // « Oui, la lui confier quand même » names whom it confirms for and at which load (confirmationOf): another
    // facilitator checked since is asked anew, and so is this one further past capacity meanwhile. A button without the
    // capacity (a page opened before it was said) asks again.
    const confirmation = /^([^:]+):(\d+):(\d+)$/.exec(typeof body.beyondCapacity === 'string' ? body.beyondCapacity : '');
    const beyondCapacity = confirmation !== null && confirmation[1] === body.facilitatorId;
    // The confirming button pressed with another choice ticked: it promised one thing, the form says another.
    if (confirmation !== null && !beyondCapacity) {
      const message =
        'Vous avez coché un autre choix que celui à confirmer : cliquez sur « Confier au facilitateur coché » pour celui-ci, ou cochez de nouveau le facilitateur à pleine capacité.';
      return this.renderReassign(res, 400, staff, ref, formModel(body, [{ field: 'facilitatorId', message }]));
    }
    await onFieldErrors(
      () =>
        this.dispatch.reassign(staff, ref, {
          ...body,
          facilitatorId,
          beyondCapacity,
          confirmedOpenCount: beyondCapacity ? Number(confirmation[2]) : undefined,
          confirmedCapacity: beyondCapacity ? Number(confirmation[3]) : undefined,
        }),
      (errors, error) =>
        error instanceof BeyondCapacityUnconfirmed
          ? this.renderReassign(res, error.status, staff, ref, formModel(body), null, error)
          : this.renderReassign(res, error.status, staff, ref, ...sentBack(body, errors, error)),
      // Rerouted with nobody else able to take it: the page says it waits in the pool. Nobody held it (from the pool): it
      // is given, not reassigned.
      ({ result: { status }, given }) =>
        res.redirect(
          303,
          `/espace/demandes/${encodeURIComponent(ref)}?fait=${status === 'unassigned' ? 'mise-en-reserve' : given ? 'attribution' : 'reaffectation'}`,
        ),
    );
  }

  @Post('demandes/:ref/prise-en-reserve')
  @StaffRoles('facilitator')
  async takeFromPool(@CurrentStaff() staff: StaffPrincipal, @Param('ref') ref: string, @Res() res: Response, @Body() body: Form = {}) {
    // Taken by someone else or no room left meanwhile: the request page says so; no longer in their sight (taken by a
    // colleague), the refusal alone says what happened, as far as the state the form read lets them know.
    await onFieldErrors(
      () => this.dispatch.takeFromPool(staff, ref, body.seenState),
      (_errors, error) =>
        this.requestPage.orRefusalAlone(res, staff, ref, error, isRefusal(error) ? { typed: null } : null, () =>
          this.requestPage.render(res, staff, ref, error.status, { conflict: { message: refusalOnPage(error), typed: null } }),
        ),
      () => res.redirect(303, `/espace/demandes/${encodeURIComponent(ref)}?fait=reserve`),
    );
  }

  @Get('facilitateurs')
  @StaffRoles('admin', 'animator')
  async loads(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Query('reseau') network: unknown) {
    await this.renderLoads(res, staff, network);
  }

  /** The invitations' page reloaded, or its address bookmarked: the load page. */
  @Get('facilitateurs/invitations')
  @StaffRoles('admin', 'animator')
  invitationsAgain(@Res() res: Response) {
    res.redirect(303, '/espace/facilitateurs');
  }

  /** « Inviter les facilitateurs sans compte »: the page again, saying who was invited and who could not be. */
  @Post('facilitateurs/invitations')
  @StaffRoles('admin', 'animator')
  async inviteWithoutAccount(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response) {
    await this.renderLoads(res, staff, null, await this.dispatch.inviteWithoutAccount(staff));
  }

  private async renderLoads(res: Response, staff: StaffPrincipal, network: unknown, invitations?: Invitations) {
    // Someone who sees several networks (an admin, an animator of more than one) may list one of them.
    const networkOptions = this.reference.networkOptions(visibleNetworks(staff));
    const chosen = typeof network === 'string' && network ? network : null;
    const known = chosen === null || networkOptions.some((option) => option.value === chosen);
    const facilitators = (await this.dispatch.loads(staff))
      .filter((f) => !known || chosen === null || f.networkCode === chosen)
      .map((f) => ({
        ...f,
        kindLabel: KIND_LABELS[f.kind],
        networkName: this.reference.network(f.networkCode)?.name ?? f.networkCode,
        // Receives requests, but cannot sign in to take them.
        withoutAccess: f.active && f.account !== 'active',
      }));
    res.status(known ? 200 : 400).render('dispatch-loads', {
      title: 'Charge des facilitateurs',
      facilitators,
      withoutAccess: facilitators.filter((f) => f.withoutAccess).length,
      neverInvited: facilitators.filter((f) => f.withoutAccess && f.account === 'none').length,
      invitations,
      allNetworks: staff.role === 'admin' && chosen === null,
      networkOptions: networkOptions.length > 1 ? networkOptions : [],
      form: formModel({ reseau: known ? chosen : '' }, known ? [] : [{ field: 'reseau', message: 'Choisissez un réseau de la liste.' }]),
    });
  }

  private renderTransfer(res: Response, status: number, request: DispatchSummary, form: FormModel, conflict: string | null = null) {
    const target = otherKind(request.kind);
    // The other desk cannot serve this buyer: said at once, no form to fill in vain (and said once, a form posted anyway).
    const refusal = transferRefusal(request);
    res.status(status).render('dispatch-transfer', {
      conflict: refusal ? null : conflict,
      refused: conflict !== null,
      refusal,
      title: `Transférer la demande ${request.reference}`,
      request: this.described(request),
      targetLabel: KIND_LABELS[target],
      targetPerson: target === 'environmental' ? 'un conseiller environnemental du réseau' : 'un facilitateur de clauses sociales',
      form,
    });
  }

  private renderSplit(res: Response, status: number, request: DispatchSummary, form: FormModel) {
    res.status(status).render('dispatch-split', {
      title: `Scinder la demande ${request.reference}`,
      request: this.described(request),
      questionOpen: true,
      slots: Array.from({ length: MAX_SPLIT_TOPICS }, (_, i) => i),
      kinds: REQUEST_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] })),
      segments: this.reference.segmentOptions(),
      form,
    });
  }

  private async renderReassign(
    res: Response,
    status: number,
    staff: StaffPrincipal,
    ref: string,
    form: FormModel,
    conflict: string | null = null,
    unconfirmed: BeyondCapacityUnconfirmed | null = null,
  ) {
    const { request, choices } = await this.dispatch.reassignable(staff, ref);
    const options = choices.map((c) => ({
      value: c.id,
      label: `${c.name} — ${c.openCount} demande${c.openCount > 1 ? 's' : ''} ouverte${c.openCount > 1 ? 's' : ''} sur ${c.capacity}`,
      hint: [
        c.unavailable === 'absent' ? 'Absent aujourd’hui' : '',
        c.unavailable === 'full' ? 'Capacité atteinte : à confirmer' : '',
        c.declinedBefore ? 'L’a déjà eue (déclinée, délai passé ou retirée) : l’attribution automatique ne la lui rend pas' : '',
      ]
        .filter(Boolean)
        .join(' · '),
    }));
    options.push({
      value: AUTOMATIC,
      label: 'Remettre en attribution automatique',
      hint: automaticHint(request),
    });
    res.status(status).render('dispatch-reassign', {
      conflict,
      refused: conflict !== null,
      beyondCapacity: unconfirmed && { confirms: confirmationOf(unconfirmed), question: unconfirmed.message },
      // One verb for staff giving a request, held or from the pool; the page's link says the same.
      title: `Confier la demande ${request.reference} à ${request.holder ? 'un autre facilitateur' : 'un facilitateur'}`,
      request: this.described(request),
      // Nobody of its kind covers its département in the network: the pool would keep it, the page says what to do.
      nobody: choices.length === 0,
      // Everyone of its territory absent or full today: the page says it waits, and how not to.
      noneFree: choices.length > 0 && choices.every((choice) => choice.unavailable !== null),
      // Some of them only full: staff may give it to one past capacity, once confirmed.
      anyFull: choices.some((choice) => choice.unavailable === 'full'),
      // Routing never gives it back to those who let it go: if they are all there is, it will not leave the pool by itself.
      onlyThoseWhoHadIt: choices.length > 0 && choices.every((choice) => choice.declinedBefore),
      options,
      form,
    });
  }

  private described(request: DispatchSummary) {
    return {
      ...request,
      kindLabel: KIND_LABELS[request.kind],
      statusLabel: STAFF_STATUS_LABELS[request.status],
      segmentLabel: this.reference.segmentLabel(request.segmentCode),
      // What the transfer and reassignment forms say their writer saw: refused if the request changes before they come.
      seenState: seenStateToken(request),
    };
  }
}

/**
 * A form sent back: a move the request's state refuses now (409: changed meanwhile, the chosen facilitator absent or
 * of another kind) is said once, above the form — beside a field it repeated the summary, under a list that may no longer
 * hold the choice; a field's own error (400) goes beside it and in the summary. What was typed stays in the form.
 */
function sentBack(body: Form, errors: FieldError[], error: AppError): [FormModel, string | null] {
  return refusedOnPage(error) ? [formModel(body), refusalOnPage(error)] : [formModel(body, errors), null];
}

/** What « Remettre en attribution automatique » does to this request, said beside it. */
function automaticHint(request: DispatchSummary): string {
  if (request.status === 'awaiting_buyer') {
    // Kept awaiting the buyer's precision: the pool would leave the question with nobody (request-state.policy).
    return 'Le routage choisit le facilitateur disponible le mieux placé, sauf celui qui la tient : il la reçoit prise en charge, la précision demandée à l’acheteur lui parviendra. Sans autre facilitateur disponible, ce choix est refusé : elle reste à son facilitateur.';
  }
  return request.holder
    ? 'Le routage choisit le facilitateur disponible le mieux placé, sauf celui qui la tient. Sans autre facilitateur disponible, la demande attend dans la réserve du réseau.'
    : 'Le routage choisit le facilitateur disponible le mieux placé. Sans facilitateur disponible, la demande reste dans la réserve du réseau.';
}

/** The confirm button's value: the facilitator asked about and the load the question quoted, `<id>:<openCount>:<capacity>`. */
function confirmationOf({ facilitatorId, openCount, capacity }: BeyondCapacityUnconfirmed): string {
  return `${facilitatorId}:${openCount}:${capacity}`;
}
