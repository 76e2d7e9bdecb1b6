import { AppError } from '../../common/errors/app-errors';
import { askedFields, outcomeToKeep, sendingKey } from './repeated-action.policy';

const TOKEN = 'a'.repeat(43);

describe('sendingKey', () => {
  it.each([
    ['a page form with its token', 'POST', { formToken: TOKEN }, undefined, `form:${TOKEN}`],
    ['the form token before the header', 'POST', { formToken: TOKEN }, 'cle-api-123', `form:${TOKEN}`],
    ['an API Idempotency-Key', 'POST', {}, 'cle-api-123', 'api:cle-api-123'],
    ['a PATCH with its key', 'PATCH', undefined, 'cle-api-123', 'api:cle-api-123'],
    ['a malformed form token: none', 'POST', { formToken: 'court' }, undefined, undefined],
    ['neither', 'POST', { body: 'x' }, undefined, undefined],
    ['a read', 'GET', { formToken: TOKEN }, 'cle-api-123', undefined],
  ])('%s', (_case, method, body, header, expected) => {
    expect(sendingKey(method, body, header)).toBe(expected);
  });

  it('refuses a malformed Idempotency-Key', () => {
    expect(() => sendingKey('POST', {}, 'court')).toThrow(AppError);
  });
});

describe('askedFields', () => {
  it('leaves out what names the sending', () => {
    expect(askedFields({ _csrf: 'c', formToken: TOKEN, reason: 'r' })).toEqual({ reason: 'r' });
    expect(askedFields(undefined)).toEqual({});
  });
});

describe('outcomeToKeep', () => {
  it.each([
    [
      'a page redirect',
      { headersSent: true, statusCode: 303, location: '/espace?fait=x', etag: undefined },
      undefined,
      { redirect: '/espace?fait=x', status: 303 },
    ],
    ['a form sent back with errors', { headersSent: true, statusCode: 400, location: undefined, etag: undefined }, undefined, null],
    ['a refusal shown on the page', { headersSent: true, statusCode: 409, location: undefined, etag: undefined }, undefined, null],
    ['a page shown after acting', { headersSent: true, statusCode: 200, location: undefined, etag: undefined }, undefined, { done: true }],
    [
      'an API result',
      { headersSent: false, statusCode: 200, location: undefined, etag: undefined },
      { status: 'answered' },
      { value: { status: 'answered' } },
    ],
    ['an API without body', { headersSent: false, statusCode: 200, location: undefined, etag: undefined }, undefined, { value: null }],
    [
      'an API result with its ETag, given back with it',
      { headersSent: false, statusCode: 201, location: undefined, etag: '"1"' },
      { version: 1 },
      { value: { version: 1 }, etag: '"1"' },
    ],
  ])('%s', (_case, response, value, expected) => {
    expect(outcomeToKeep(response, value)).toEqual(expected);
  });
});
