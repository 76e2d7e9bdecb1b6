/**
 * Which files are accepted, judged on their content (pure): the name and the type the browser claims are
 * never trusted. ZIP-based office formats are told apart by the archive's entry names, read from its central
 * directory (and, for OpenDocument, its leading stored `mimetype` entry) without extracting anything.
 */

export interface AcceptedType {
  mediaType: string;
  extension: string;
  label: string;
}

export type Detection = ({ ok: true } & AcceptedType) | { ok: false; reason: string };

export const ACCEPTED_TYPES = {
  pdf: { mediaType: 'application/pdf', extension: 'pdf', label: 'PDF' },
  png: { mediaType: 'image/png', extension: 'png', label: 'image PNG' },
  jpeg: { mediaType: 'image/jpeg', extension: 'jpg', label: 'image JPEG' },
  odt: { mediaType: 'application/vnd.oasis.opendocument.text', extension: 'odt', label: 'texte OpenDocument (ODT)' },
  ods: { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extension: 'ods', label: 'tableur OpenDocument (ODS)' },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
    label: 'document Word (DOCX)',
  },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
    label: 'classeur Excel (XLSX)',
  },
} satisfies Record<string, AcceptedType>;

/** A download link's detail as the State design system writes it: « PDF – 303 octets », « DOCX – 1,2 Mo ». */
export function downloadDetail(mediaType: string, size: number): string {
  const type = Object.values(ACCEPTED_TYPES).find((accepted) => accepted.mediaType === mediaType);
  return `${type ? type.extension.toUpperCase() : mediaType} – ${fileSize(size)}`;
}

function fileSize(bytes: number): string {
  const decimal = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
  if (bytes < 1000) return `${bytes} octet${bytes > 1 ? 's' : ''}`;
  if (bytes < 1_000_000) return `${decimal(bytes / 1000)} ko`;
  return `${decimal(bytes / 1_000_000)} Mo`;
}

const ALLOWED = 'seuls les documents PDF, ODT, ODS, DOCX, XLSX et les images PNG ou JPEG sont acceptés';

export const REFUSALS = {
  empty: 'Le fichier est vide.',
  executable: `Ce fichier est un programme exécutable, quel que soit son nom : ${ALLOWED}.`,
  html: `Ce fichier est une page web (HTML), quel que soit son nom : ${ALLOWED}.`,
  macros: 'Les documents contenant des macros ne sont pas acceptés : enregistrez-le au format DOCX ou XLSX sans macros.',
  otherZip: `Cette archive ZIP n’est ni un document OpenDocument (ODT, ODS) ni un document Word ou Excel (DOCX, XLSX) : ${ALLOWED}.`,
  brokenZip: 'Ce document semble abîmé (archive illisible) : enregistrez-le de nouveau puis réessayez.',
  unknown: `Type de fichier non accepté : ${ALLOWED}.`,
} as const;

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

export function detectFileType(content: Buffer): Detection {
  if (content.length === 0) return { ok: false, reason: REFUSALS.empty };
  const startsWith = (...bytes: number[]) => content.length >= bytes.length && bytes.every((b, i) => content[i] === b);
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return accept('pdf');
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return accept('png');
  if (startsWith(0xff, 0xd8, 0xff)) return accept('jpeg');
  if (content.length >= 4 && content.readUInt32LE(0) === ZIP_LOCAL) return detectZip(content);
  if (startsWith(0x4d, 0x5a) || startsWith(0x7f, 0x45, 0x4c, 0x46)) return { ok: false, reason: REFUSALS.executable };
  if (
    /^\s*(<!doctype\s+html|<html|<script|<svg)/i.test(
      content
        .subarray(0, 512)
        .toString('latin1')
        .replace(/^\uFEFF|^\xEF\xBB\xBF/, ''),
    )
  ) {
    return { ok: false, reason: REFUSALS.html };
  }
  return { ok: false, reason: REFUSALS.unknown };
}

function accept(type: keyof typeof ACCEPTED_TYPES): Detection {
  return { ok: true, ...ACCEPTED_TYPES[type] };
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

function detectZip(content: Buffer): Detection {
  const entries = centralDirectory(content);
  if (!entries) return { ok: false, reason: REFUSALS.brokenZip };
  const names = new Set(entries.map((e) => e.name));
  const odf = openDocumentType(
    content,
    entries.find((e) => e.localOffset === 0),
  );
  if (odf === 'application/vnd.oasis.opendocument.text') return accept('odt');
  if (odf === 'application/vnd.oasis.opendocument.spreadsheet') return accept('ods');
  if (names.has('[Content_Types].xml')) {
    if (names.has('word/vbaProject.bin') || names.has('xl/vbaProject.bin')) return { ok: false, reason: REFUSALS.macros };
    if ([...names].some((n) => n.startsWith('word/'))) return accept('docx');
    if ([...names].some((n) => n.startsWith('xl/'))) return accept('xlsx');
  }
  return { ok: false, reason: REFUSALS.otherZip };
}

/** The entries listed by the central directory, or null if the archive does not hold together. */
function centralDirectory(content: Buffer): ZipEntry[] | null {
  const end = findEndRecord(content);
  if (end < 0) return null;
  const count = content.readUInt16LE(end + 10);
  let offset = content.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > content.length || content.readUInt32LE(offset) !== ZIP_CENTRAL) return null;
    const nameLength = content.readUInt16LE(offset + 28);
    const next = offset + 46 + nameLength + content.readUInt16LE(offset + 30) + content.readUInt16LE(offset + 32);
    if (next > content.length) return null;
    entries.push({
      name: content.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'),
      method: content.readUInt16LE(offset + 10),
      compressedSize: content.readUInt32LE(offset + 20),
      localOffset: content.readUInt32LE(offset + 42),
    });
    offset = next;
  }
  return entries;
}

/** The end-of-central-directory record sits in the last 22 bytes, or before a comment of up to 64 KiB. */
function findEndRecord(content: Buffer): number {
  for (let at = content.length - 22; at >= Math.max(0, content.length - 22 - 0xffff); at--) {
    if (content.readUInt32LE(at) === ZIP_END) return at;
  }
  return -1;
}

/** OpenDocument: the first entry is `mimetype`, stored uncompressed, holding the document's media type. */
function openDocumentType(content: Buffer, first: ZipEntry | undefined): string | null {
  if (!first || first.name !== 'mimetype' || first.method !== 0 || content.length < 30) return null;
  const dataStart = 30 + content.readUInt16LE(26) + content.readUInt16LE(28);
  if (dataStart + first.compressedSize > content.length || first.compressedSize > 100) return null;
  return content.subarray(dataStart, dataStart + first.compressedSize).toString('latin1');
}
