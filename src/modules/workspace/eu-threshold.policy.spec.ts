import { euThresholdNotice } from './eu-threshold.policy';
import type { OrganisationType } from '../requests/request.types';

describe('euThresholdNotice', () => {
  const request = (estimatedAmount: number | null, organisationType: OrganisationType, segmentCode = 'catering') => ({
    estimatedAmount,
    organisationType,
    segmentCode,
  });

  it.each([
    ['a town’s canteen above 216 000 €', request(450_000, 'local_authority'), '2026-12-06', 216_000],
    ['exactly at the threshold', request(216_000, 'hospital'), '2026-12-06', 216_000],
    ['just below it', request(215_999, 'local_authority'), '2026-12-06', null],
    ['a ministry’s supplies from 140 000 €', request(150_000, 'state_administration'), '2027-06-01', 140_000],
    ['a State body’s services', request(140_000, 'state_public_body'), '2026-01-01', 140_000],
    ['works, whoever buys', request(6_000_000, 'state_administration', 'construction'), '2026-12-06', 5_404_000],
    ['works below the works threshold', request(1_000_000, 'local_authority', 'construction'), '2026-12-06', null],
    ['a private entity under the code', request(300_000, 'private_subject'), '2026-12-06', 216_000],
    ['a company outside the code', request(10_000_000, 'private_not_subject'), '2026-12-06', null],
    ['no amount given', request(null, 'local_authority'), '2026-12-06', null],
    ['a day no threshold table covers', request(450_000, 'local_authority'), '2028-01-01', null],
    ['before the table', request(450_000, 'local_authority'), '2025-12-31', null],
  ] as const)('%s', (_case, input, day, threshold) => {
    expect(euThresholdNotice(input, day)?.threshold ?? null).toBe(threshold);
  });

  it('names the period and which threshold applies', () => {
    expect(euThresholdNotice(request(300_000, 'state_administration'), '2026-12-06')).toEqual({
      threshold: 140_000,
      scope: 'fournitures et services de l’État et de ses établissements publics (hors EPIC)',
      period: '2026–2027',
    });
  });
});
