/** How many distinct words of a request are looked for in the others: enough for a paragraph's gist. */
const MAX_WORDS = 30;
/** Shorter words are mostly articles and prepositions, which PostgreSQL's French stop list drops anyway. */
const MIN_LENGTH = 4;
const WORD = /[\p{L}\p{N}]+/gu;
/**
 * Words nearly every request has, beyond PostgreSQL's French stop list: the way a question is asked, courtesy, and
 * the desk's own field (every request is about a public purchase). Matching on them would list anything.
 */
const COMMON_WORDS = new Set([
  'quel',
  'quels',
  'quelle',
  'quelles',
  'comment',
  'pourquoi',
  'combien',
  'peut',
  'peuvent',
  'pouvons',
  'faut',
  'doit',
  'doivent',
  'devons',
  'bonjour',
  'merci',
  'cordialement',
  'madame',
  'monsieur',
  'marché',
  'marchés',
  'achat',
  'achats',
  'acheteur',
  'acheteurs',
  'public',
  'publics',
  'publique',
  'publiques',
]);

/**
 * The text search that finds requests like this one: any of its words (subject first, then question), for
 * PostgreSQL's `websearch_to_tsquery('french', …)`, which stems them, drops stop words and never fails on odd input.
 * null when the request has no word worth looking for.
 */
export function similarityQuery(subject: string, question: string): string | null {
  const words = new Set<string>();
  for (const [word] of `${subject} ${question}`.toLowerCase().matchAll(WORD)) {
    if (word.length >= MIN_LENGTH && !/^\d+$/.test(word) && !COMMON_WORDS.has(word)) words.add(word);
    if (words.size === MAX_WORDS) break;
  }
  return words.size ? [...words].join(' or ') : null;
}
