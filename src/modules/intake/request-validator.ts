import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError, FieldError, ValidationFailed } from '../../common/errors/app-errors';
import { flattenValidationErrors, isCalendarDay, notInList, trimStrings } from '../../common/validation';
import { localDay } from '../../common/local-clock';
import { SEGMENT_CODES } from '../reference/reference.seed';
import { ReferenceService } from '../reference/reference.service';
import { CreateRequestDto } from './dto/create-request.dto';
import { decideEligibility, isStateBuyer, questionProblem } from './eligibility.policy';
import { isValidSiret, normaliseSiret } from './siret.policy';

/**
 * The one validation path of a submission, for the JSON API and the HTML form alike:
 * shape and types, reference codes, then eligibility. Throws ValidationFailed (400, per field)
 * or AppError not_eligible (422, with an explanation and pointers).
 */
@Injectable()
export class RequestValidator {
  constructor(private readonly reference: ReferenceService) {}

  async validate(body: unknown): Promise<CreateRequestDto> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ValidationFailed([{ field: '', message: 'Le corps de la requête doit être un objet JSON.' }]);
    }
    const plain = normalised(trimStrings(body) as Record<string, unknown>);
    const dto = plainToInstance(CreateRequestDto, plain);
    const errors = flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
    errors.push(...this.checkDomain(dto, errors));
    if (errors.length) throw new ValidationFailed(errors);

    if (dto.buyer.siret) dto.buyer.siret = normaliseSiret(dto.buyer.siret);
    if (!isStateBuyer(dto.buyer.organisationType)) delete dto.internalReferentConsulted;
    const decision = decideEligibility({
      organisationType: dto.buyer.organisationType,
      kind: dto.kind,
      internalReferentConsulted: dto.internalReferentConsulted,
    });
    if (!decision.eligible) {
      throw new AppError('not_eligible', decision.reason, [{ field: decision.field, message: decision.reason }], {
        pointers: decision.pointers,
      });
    }
    return dto;
  }

  /** Rules beyond the shape of each field; skipped for fields that already failed. */
  private checkDomain(dto: CreateRequestDto, errors: FieldError[]): FieldError[] {
    const failed = new Set(errors.map((e) => e.field));
    const ok = (field: string, value: unknown) => !failed.has(field) && value !== undefined && value !== null;
    const problems: FieldError[] = [];
    const buyer = dto.buyer && typeof dto.buyer === 'object' ? dto.buyer : undefined;

    if (buyer && ok('buyer.siret', buyer.siret) && !isValidSiret(normaliseSiret(buyer.siret!))) {
      problems.push({ field: 'buyer.siret', message: 'Ce numéro SIRET n’est pas valide : vérifiez ses 14 chiffres.' });
    }
    const department = ok('departmentCode', dto.departmentCode) ? this.reference.department(dto.departmentCode) : undefined;
    if (ok('departmentCode', dto.departmentCode) && !department) {
      problems.push({ field: 'departmentCode', message: 'Choisissez un département de la liste (code INSEE, par exemple 38, 2A ou 971).' });
    }
    if (ok('segment', dto.segment) && !this.reference.segment(dto.segment)) {
      problems.push({
        field: 'segment',
        message: notInList('Choisissez un segment d’achat de la liste', SEGMENT_CODES),
      });
    }
    if (ok('question', dto.question)) {
      const problem = questionProblem(dto.question);
      if (problem) problems.push({ field: 'question', message: problem });
    }
    // Not before « today » where the buyer is: an overseas département's day starts and ends hours from Paris's.
    if (ok('neededBy', dto.neededBy)) {
      const neededBy = String(dto.neededBy);
      // A day before 1900 is outside the calendar the service checks, and long past: said as past.
      if (!isCalendarDay(neededBy) && neededBy >= '1900') {
        problems.push({ field: 'neededBy', message: 'Cette date n’existe pas.' });
      } else if (neededBy < localDay(department?.code, new Date())) {
        problems.push({ field: 'neededBy', message: 'La date souhaitée de réponse ne peut pas être passée.' });
      }
    }
    if (
      buyer &&
      !failed.has('buyer.organisationType') &&
      buyer.organisationType &&
      isStateBuyer(buyer.organisationType) &&
      // null as well: class-validator's IsOptional lets it through, and it is no answer to the question.
      (dto.internalReferentConsulted === undefined || dto.internalReferentConsulted === null) &&
      !failed.has('internalReferentConsulted')
    ) {
      problems.push({
        field: 'internalReferentConsulted',
        message: 'Acheteur de l’État : indiquez si vous avez d’abord consulté votre référent achats responsables.',
      });
    }
    return problems;
  }
}

/** Optional fields sent empty, as form-like clients do: absent, as the form reads them (the SIRET already was); the département's code in capitals. */
function normalised(plain: Record<string, unknown>): Record<string, unknown> {
  const blank = (value: unknown) => value === '';
  const buyer = plain.buyer;
  for (const field of ['neededBy', 'estimatedAmount']) if (blank(plain[field])) delete plain[field];
  // Corsica's codes as people type them: « 2a » is 2A.
  if (typeof plain.departmentCode === 'string') plain.departmentCode = plain.departmentCode.toUpperCase();
  if (buyer && typeof buyer === 'object' && !Array.isArray(buyer)) {
    for (const field of ['phone', 'siret'])
      if (blank((buyer as Record<string, unknown>)[field])) delete (buyer as Record<string, unknown>)[field];
  }
  return plain;
}
