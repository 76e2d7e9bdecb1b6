import { Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req, UploadedFiles, UseGuards } from '@nestjs/common';
import { ApiIdempotencyKey, apiRepeatKey, SENT_ONCE } from '../../common/idempotency-key';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { StaffPrincipal, StaffSessionRef } from '../accounts/accounts.types';
import { CSRF_FIELD, CSRF_HEADER, CsrfService } from '../accounts/csrf.service';
import { RepeatableUpload } from '../accounts/repeated-action.interceptor';
import { ApiStaffAccess, CsrfCheckedInHandler, CurrentStaff, CurrentStaffSession, StaffGuard } from '../accounts/staff.guard';
import { TOO_LARGE_WITH_FILES, UploadInterceptor } from '../attachments/upload.interceptor';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { REQUEST_KINDS, REQUEST_STATUSES } from '../requests/request.types';
import {
  AnswerBodyDto,
  AnswerDraftBodyDto,
  AnswerDraftDto,
  CHANGED_MEANWHILE_CONFLICT,
  CloseBodyDto,
  DeclineBodyDto,
  DeclineResultDto,
  ErasureBodyDto,
  ErasureResultDto,
  BuyerContactCorrectionDto,
  BuyerContactResultDto,
  SeenStateBodyDto,
  StaffActionResultDto,
  TextBodyDto,
} from './dto/staff-action.dto';
import { QueuePageDto } from './dto/queue-page.dto';
import { StaffRequestPageDto } from './dto/staff-request-page.dto';
import { QUEUE_SORTS, QUEUE_TABS } from './workspace-queue.policy';
import { WorkspaceService } from './workspace.service';
import { noLongerYoursNotice } from './no-longer-yours';
import { NotFound } from '../../common/errors/app-errors';
import { JsonBody, refuseUnknownFields } from '../../common/json-body.decorator';
import { ESCALATION_MISSES } from '../routing/escalation.policy';

type Json = Record<string, unknown>;

/** The workspace for scripts (bearer token): the same queue, request and actions as the pages. */
@ApiTags('espace facilitateur')
@ApiStaffAccess()
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Demande introuvable, ou qui ne vous est pas visible' })
@UseGuards(StaffGuard)
@Controller('api/v1/staff/requests')
export class WorkspaceApiController {
  constructor(
    private readonly workspace: WorkspaceService,
    private readonly csrf: CsrfService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Lister les demandes visibles (mes demandes ou la réserve), filtrées, par échéance' })
  @ApiOkResponse({
    type: QueuePageDto,
    description:
      'Une page : les demandes (référence, acheteur, type, segment, statut, échéance, retard), les compteurs par onglet et statut, la pagination',
  })
  @ApiQuery({ name: 'tab', required: false, enum: QUEUE_TABS, description: 'Mes demandes (par défaut) ou la réserve du réseau' })
  @ApiQuery({ name: 'status', required: false, enum: REQUEST_STATUSES, description: 'Par défaut : tous les statuts ouverts' })
  @ApiQuery({ name: 'kind', required: false, enum: REQUEST_KINDS })
  @ApiQuery({ name: 'segment', required: false, description: 'Code du segment d’achat, par exemple office_supplies' })
  @ApiQuery({ name: 'department', required: false, description: 'Code INSEE du département, par exemple 38 ou 2A' })
  @ApiQuery({ name: 'network', required: false, description: 'Code d’un de vos réseaux, par exemple aura-ee' })
  @ApiQuery({ name: 'late', required: false, enum: ['1', '0'], description: '1 : en retard seulement' })
  @ApiQuery({
    name: 'escalated',
    required: false,
    enum: ['1', '0'],
    description: `1 : seulement celles dont le délai de prise en charge est dépassé ${ESCALATION_MISSES} fois ou plus, pas encore prises en charge (celles de l’escalade aux animateurs) ; remplace les onglets : attribuées et réserve en une liste, quel que soit tab`,
  })
  @ApiQuery({ name: 'du', required: false, description: 'Déposées à partir de ce jour (AAAA-MM-JJ, heure de Paris), inclus' })
  @ApiQuery({ name: 'au', required: false, description: 'Déposées jusqu’à ce jour (AAAA-MM-JJ, heure de Paris), inclus' })
  @ApiQuery({
    name: 'q',
    required: false,
    description:
      'Recherche (100 caractères au plus) dans la référence, l’objet, l’organisation, le nom et l’adresse électronique de l’acheteur ; sans status, clôturées comprises',
  })
  @ApiQuery({ name: 'facilitator', required: false, description: 'Identifiant (UUID) du facilitateur qui suit les demandes' })
  @ApiQuery({
    name: 'sort',
    required: false,
    enum: QUEUE_SORTS,
    description:
      'deadline (par défaut) : échéance la plus proche d’abord, et pour un facilitateur celles pas encore prises en charge dont un délai de prise en charge est déjà passé avant tout ; needed_by : date souhaitée par l’acheteur ; submitted : date de dépôt',
  })
  @ApiQuery({ name: 'page', required: false, type: Number, description: 'À partir de 1 ; au-delà de la dernière, la dernière' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Paramètre inconnu ou valeur non comprise (erreurs par champ)' })
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: Json): Promise<QueuePageDto> {
    const { items, facilitators: _choices, ...rest } = await this.workspace.queue(staff, this.workspace.apiQueueFilters(staff, query));
    return { ...rest, items: items.map(({ id: _id, ...item }) => item) };
  }

  @Get(':reference')
  @ApiOperation({
    summary: 'Consulter une demande',
    description: 'La demande, son acheteur, ses échanges et notes, pièces jointes, historique, actions possibles.',
  })
  @ApiOkResponse({ type: StaffRequestPageDto, description: 'La demande et ce que la page montre' })
  async show(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string): Promise<StaffRequestPageDto> {
    try {
      // A draft has its own route (`answer-draft`): the page's copy of it stays the page's.
      const {
        request,
        draft: _draft,
        leftDraft: _left,
        othersDrafts: _others,
        ...page
      } = await this.workspace.requestPage(staff, reference);
      const { id: _id, assignmentId: _assignment, ...shown } = request;
      return { request: shown, ...page };
    } catch (error) {
      // A former holder learns why it is gone, as on the page: still a 404, nothing of where it is now.
      const gone = error instanceof NotFound ? await this.workspace.noLongerYours(staff, reference) : null;
      throw gone ? new NotFound(noLongerYoursNotice(gone.lastChange)) : error;
    }
  }

  @Post(':reference/take-charge')
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Prendre en charge une demande qui vous est confiée' })
  @ApiBody({ type: SeenStateBodyDto, required: false })
  @ApiOkResponse({ type: StaffActionResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Champ inconnu, ou `seenState` illisible' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: `La demande n’est pas en attente de prise en charge, ou ne vous est plus confiée ; ou, ${CHANGED_MEANWHILE_CONFLICT}`,
  })
  async takeCharge(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @JsonBody('seenState') body: Json) {
    await this.workspace.takeCharge(staff, reference, body.seenState);
    return this.status(staff, reference);
  }

  @Post(':reference/decline')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Décliner une demande confiée, ou la rendre après l’avoir prise en charge',
    description:
      'Elle repart en attribution vers un autre facilitateur (jamais vous), ou attend dans la réserve du réseau. ' +
      'Après la prise en charge et avant la réponse, `note` est requis : ce que le facilitateur suivant doit savoir ; ' +
      'l’acheteur est prévenu qu’un autre facilitateur reprend sa demande.',
  })
  @ApiBody({ type: DeclineBodyDto })
  @ApiOkResponse({ type: DeclineResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Motif absent ou inconnu ; note absente après la prise en charge' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'La demande a déjà reçu sa réponse, ou a changé entre-temps' })
  async decline(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @JsonBody('reason', 'note', 'facilitatorId') body: Json,
  ) {
    const outcome = await this.workspace.decline(staff, reference, body);
    return { reference, declined: true, givenBack: outcome !== 'declined' };
  }

  @Post(':reference/notes')
  @HttpCode(201)
  @ApiOperation({ summary: 'Ajouter une note interne (jamais montrée à l’acheteur)' })
  @ApiBody({ type: TextBodyDto })
  @ApiCreatedResponse({ type: StaffActionResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Texte absent ou trop long' })
  @ApiIdempotencyKey('un nouvel envoi avec la même clé n’enregistre pas la note une seconde fois.')
  async note(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @JsonBody('body') body: Json,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ) {
    await this.workspace.addNote(staff, reference, body.body, apiRepeatKey(idempotencyKey));
    return this.status(staff, reference);
  }

  @Post(':reference/clarification')
  @HttpCode(200)
  @ApiOperation({ summary: 'Demander une précision à l’acheteur', description: 'Le délai de réponse est suspendu jusqu’à sa précision.' })
  @ApiBody({ type: TextBodyDto })
  @ApiOkResponse({ type: StaffActionResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Texte absent ou trop long' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'La demande n’est pas en cours de traitement' })
  async clarify(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @JsonBody('body') body: Json) {
    await this.workspace.askClarification(staff, reference, body.body);
    return this.status(staff, reference);
  }

  /** JSON `{ body, items }`, or multipart with files in `fichiers` and items as `items[0][type]`… */
  @Post(':reference/answer')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Répondre par écrit, avec des aides typées et des fichiers',
    description:
      'En JSON, ou en multipart/form-data avec les fichiers dans `fichiers` et les aides en `items[0][type]`… ' +
      'Une fois la demande répondue et jusqu’à sa clôture, complète la réponse (fichier oublié, correction) : le statut reste ' +
      '`answered`, l’acheteur reçoit le complément et son délai pour répondre repart.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: AnswerBodyDto })
  @ApiOkResponse({ type: StaffActionResultDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Texte absent ou trop long, aide incomplète, fichier refusé (erreurs par champ)',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'La demande n’est pas en cours de traitement' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: TOO_LARGE_WITH_FILES })
  @ApiUnsupportedMediaTypeResponse({
    type: ErrorResponseDto,
    description: 'Un fichier d’un type refusé, ou un corps d’un jeu de caractères ou d’un encodage que l’action ne lit pas',
  })
  @ApiIdempotencyKey('un nouvel envoi avec la même clé n’envoie pas la réponse une seconde fois (ni comme complément).')
  @CsrfCheckedInHandler()
  @RepeatableUpload(UploadInterceptor())
  async answer(
    @CurrentStaff() staff: StaffPrincipal,
    @CurrentStaffSession() session: StaffSessionRef,
    @Param('reference') reference: string,
    @Req() req: Request,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @UploadedFiles() files: Express.Multer.File[] = [],
  ) {
    const body = (req.body ?? {}) as Json;
    this.csrf.assertValid(session, body[CSRF_FIELD] ?? req.header(CSRF_HEADER));
    // JSON or multipart: the fields either way (a form's `items[0][type]` arrives as `items`).
    refuseUnknownFields(body, ['body', 'items', 'complement', 'buyerMessageSeen']);
    await this.workspace.answer(staff, reference, body, files, apiRepeatKey(idempotencyKey));
    return this.status(staff, reference);
  }

  @Get(':reference/answer-draft')
  @ApiOperation({
    summary: 'Lire mon brouillon de réponse',
    description: 'Le brouillon de la personne connectée, qui détient la demande ; `savedAt` null : aucun brouillon.',
  })
  @ApiOkResponse({ type: AnswerDraftDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'La demande ne prend plus de réponse' })
  async draft(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string) {
    const draft = await this.workspace.draftOf(staff, reference);
    return draft ?? { body: '', items: [], savedAt: null };
  }

  @Put(':reference/answer-draft')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enregistrer mon brouillon de réponse',
    description:
      'Remplace le brouillon de la personne connectée (une par demande et par personne) ; rien n’est envoyé. ' +
      'Sans texte ni aide, le brouillon est supprimé. Les fichiers ne sont pas gardés. Supprimé à l’envoi de la réponse, ' +
      'à la clôture de la demande et à l’effacement de ses données.',
  })
  @ApiBody({ type: AnswerDraftBodyDto })
  @ApiOkResponse({ type: AnswerDraftDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Texte plus long que la réponse ne peut l’être, aide mal formée' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'La demande ne prend plus de réponse' })
  async saveDraft(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @JsonBody('body', 'items') body: Json) {
    await this.workspace.saveDraft(staff, reference, body);
    return (await this.workspace.draftOf(staff, reference)) ?? { body: '', items: [], savedAt: null };
  }

  @Delete(':reference/answer-draft')
  @HttpCode(204)
  @ApiOperation({ summary: 'Supprimer mon brouillon de réponse' })
  @ApiNoContentResponse({ description: 'Supprimé (ou il n’y en avait pas)' })
  async discardDraft(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @JsonBody() _none: Json): Promise<void> {
    await this.workspace.discardDraft(staff, reference);
  }

  @Post(':reference/close')
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Clôturer la demande, avec son motif',
    description: 'Clôturée avec le motif « Réponse apportée » (`answered`), les questionnaires de suivi sont programmés.',
  })
  @ApiBody({ type: CloseBodyDto })
  @ApiOkResponse({ type: StaffActionResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Motif absent ou inconnu, message trop long, ou absent pour un doublon' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: `Motif impossible dans l’état actuel de la demande (code \`conflict\`) ; ou, ${CHANGED_MEANWHILE_CONFLICT}`,
  })
  async close(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @JsonBody('reason', 'message', 'seenState') body: Json,
  ) {
    await this.workspace.close(staff, reference, body.reason, body.message, body.seenState);
    return this.status(staff, reference);
  }

  @Post(':reference/reopen')
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rouvrir une demande clôturée par erreur',
    description:
      'Par le facilitateur qui la suivait ou son réseau : elle revient en cours chez ce facilitateur — ou, s’il a quitté l’annuaire ou est absent, elle est attribuée de nouveau (ou mise en réserve) ; l’acheteur est prévenu.',
  })
  @ApiOkResponse({ type: StaffActionResultDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'Demande ouverte, retirée par l’acheteur, sans facilitateur ou aux données effacées',
  })
  async reopen(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @JsonBody() _none: Json) {
    await this.workspace.reopen(staff, reference);
    return this.status(staff, reference);
  }

  /** The buyer's right to rectification: their contact details, checked as the intake checks them. */
  @Post(':reference/buyer-contact')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Corriger les coordonnées de l’acheteur (droit de rectification)',
    description:
      'Par le facilitateur qui suit la demande, les animateurs de son réseau ou un administrateur, tant que ses données ne sont pas effacées. Une nouvelle adresse (autre que par la casse) reçoit la référence et un nouveau lien de suivi, l’ancien lien ne fonctionne plus, et l’ancienne adresse est prévenue du changement, sans lien. Les courriels qui ne lui sont pas encore parvenus partent à la nouvelle adresse ; ceux que l’ancienne a refusés sont envoyés de nouveau. Les refus de questionnaire faits depuis l’ancienne adresse ne sont annulés que sur previousAddressWasWrong: true (une faute de frappe, pas un changement d’adresse de l’acheteur).',
  })
  @ApiBody({ type: BuyerContactCorrectionDto })
  @ApiOkResponse({ type: BuyerContactResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Champ absent, trop long ou invalide (les règles du dépôt)' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Données personnelles déjà effacées' })
  async correctBuyer(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @JsonBody('firstName', 'lastName', 'email', 'phone', 'organisationName', 'previousAddressWasWrong') body: Json,
  ) {
    const { newTrackingLinkSent } = await this.workspace.correctBuyer(staff, reference, body);
    return { ...(await this.status(staff, reference)), newTrackingLinkSent };
  }

  /** The buyer's right to object to the follow-up surveys: no body; for their address, all their requests. */
  @Post(':reference/refuse-surveys')
  @HttpCode(200)
  @ApiOperation({
    summary: 'L’acheteur ne veut plus de questionnaires (droit d’opposition)',
    description:
      'Par le facilitateur qui suit la demande, les animateurs de son réseau ou un administrateur, tant que ses données ne sont pas effacées. Pour l’adresse électronique de l’acheteur (quelle que soit la casse) : les questionnaires de suivi pas encore remplis de toutes ses demandes sont annulés, et aucun ne sera plus programmé ni envoyé, jusqu’à ce qu’il les accepte de nouveau (POST …/accept-surveys). Une ligne de l’historique, réservée à l’équipe. Sans effet la seconde fois.',
  })
  @ApiOkResponse({ type: StaffActionResultDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Données personnelles effacées : plus d’adresse pour laquelle s’opposer' })
  async refuseSurveys(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @JsonBody() _none: Json) {
    // The client chose this endpoint: its call is the confirmation the page asks a box for.
    await this.workspace.refuseSurveys(staff, reference, true);
    return this.status(staff, reference);
  }

  /** The buyer changed their mind: their address's objection lifted. No body. */
  @Post(':reference/accept-surveys')
  @HttpCode(200)
  @ApiOperation({
    summary: 'L’acheteur accepte de nouveau les questionnaires',
    description:
      'Par les mêmes personnes que le refus, tant que les données de la demande ne sont pas effacées. Le refus de l’adresse électronique de l’acheteur est levé : ses demandes clôturées à partir de maintenant, avec une réponse, reçoivent de nouveau les questionnaires de suivi. Ceux annulés pendant le refus le restent. Une ligne de l’historique, réservée à l’équipe. Sans effet quand l’adresse n’a pas de refus.',
  })
  @ApiOkResponse({ type: StaffActionResultDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Données personnelles effacées' })
  async acceptSurveys(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @JsonBody() _none: Json) {
    // As for the refusal: the client's call is its confirmation.
    await this.workspace.acceptSurveys(staff, reference, true);
    return this.status(staff, reference);
  }

  /** The buyer's right to erasure: `{"confirm": true}`; a closed request only, by its network's animators or an admin. */
  @Post(':reference/erase-personal-data')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Effacer les données personnelles de l’acheteur (droit à l’effacement)',
    description: 'Une demande clôturée seulement, par les animateurs de son réseau ou un administrateur.',
  })
  @ApiBody({ type: ErasureBodyDto })
  @ApiOkResponse({ type: ErasureResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Confirmation absente' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'La demande n’est pas clôturée, ou ses données sont déjà effacées' })
  async erasePersonalData(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @JsonBody('confirm') body: Json) {
    // Only a closed request can be erased, and it stays closed.
    const anonymisedAt = await this.workspace.erasePersonalData(staff, reference, body.confirm);
    return { reference, status: 'closed', anonymisedAt };
  }

  private async status(staff: StaffPrincipal, reference: string) {
    const { request } = await this.workspace.requestPage(staff, reference);
    return { reference, status: request.status, closeReason: request.closeReason };
  }
}
