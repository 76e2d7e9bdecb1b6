const MAX_LENGTH = 150;
/** Control characters and the invisible marks that can make "exe.pdf" read as "fdp.exe". */
const UNSAFE = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

/** The sender's name without any folder, invisible or control characters, at most 150 characters (for messages too). */
export function cleanFileName(given: string): string {
  const base = given.normalize('NFC').split(/[\\/]/).pop()!.replace(/\s+/g, ' ').replace(UNSAFE, '').trim();
  return [...base].slice(0, MAX_LENGTH).join('');
}

/** The name a stored file is shown and downloaded under: clean, and ending with the extension of its content's type. */
export function displayFileName(given: string, extension: string): string {
  const base = cleanFileName(given);
  const ownExtension = new RegExp(`\\.(${extension === 'jpg' ? 'jpe?g' : extension})$`, 'i').exec(base);
  const stem = (ownExtension ? base.slice(0, ownExtension.index) : base).replace(/^\.+/, '').trim() || 'piece-jointe';
  return `${[...stem].slice(0, MAX_LENGTH - extension.length - 1).join('')}${ownExtension ? ownExtension[0] : `.${extension}`}`;
}

/**
 * The files chosen with a form that was not sent (a conflict, a template taken in): nothing of them was kept, and the
 * person must know to attach them again. Null when none was chosen.
 */
export function filesNotSentNotice(chosenFiles: string[]): string | null {
  if (!chosenFiles.length) return null;
  const names = chosenFiles.map((name) => `« ${name} »`);
  return names.length === 1
    ? `Le fichier ${names[0]} n’a pas été envoyé : joignez-le de nouveau.`
    : `Les fichiers ${names.slice(0, -1).join(', ')} et ${names[names.length - 1]} n’ont pas été envoyés : joignez-les de nouveau.`;
}
