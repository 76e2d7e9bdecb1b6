import { ApiHeader } from '@nestjs/swagger';
import { AppError } from './errors/app-errors';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;

/** The optional `Idempotency-Key` header of an API write, checked: 8 to 200 visible ASCII characters, else a field error. */
export function checkedIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new AppError('validation_failed', 'La demande contient des erreurs.', [
      { field: 'Idempotency-Key', message: 'La clé d’idempotence fait de 8 à 200 caractères visibles, sans espace.' },
    ]);
  }
  return value;
}

/** The header as OpenAPI documents it; `repeated` says what a second sending with the same key gives. */
export function ApiIdempotencyKey(repeated: string): MethodDecorator & ClassDecorator {
  return ApiHeader({ name: 'idempotency-key', required: false, description: `8 à 200 caractères visibles ; ${repeated}` });
}
