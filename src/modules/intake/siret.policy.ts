/** La Poste's establishments share this SIREN and follow their own checksum rule. */
const LA_POSTE_SIREN = '356000000';

/** A SIRET is 14 digits whose Luhn sum is a multiple of 10 (La Poste: digit sum a multiple of 5). */
export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (value.startsWith(LA_POSTE_SIREN) && value !== '35600000000048') {
    return [...value].reduce((sum, digit) => sum + Number(digit), 0) % 5 === 0;
  }
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let digit = Number(value[13 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Buyers type SIRETs with spaces ("223 800 014 00019"); those are dropped before checking. */
export function normaliseSiret(value: string): string {
  return value.replace(/[\s.]/g, '');
}
