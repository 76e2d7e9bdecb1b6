/** What stands for the hidden part of an address: always three, so its length is not told. */
const HIDDEN = '•••';

/**
 * An address shown without giving it away (« c•••@exemple.fr »): its first character and its domain, enough for its
 * owner to recognise it, too little for anyone else to write to it.
 */
export function maskedEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return HIDDEN;
  // By code point: a character outside the BMP is two UTF-16 units, and half of one is no character.
  const [first] = Array.from(address.slice(0, at));
  return `${first}${HIDDEN}${address.slice(at)}`;
}
