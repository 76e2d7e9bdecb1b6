import {
  sampleDocx,
  sampleExe,
  sampleHtml,
  sampleJpeg,
  sampleOds,
  sampleOdt,
  samplePdf,
  samplePng,
  sampleXlsx,
  zipOf,
} from '../../../test/support/sample-files';
import { detectFileType, downloadDetail, REFUSALS } from './file-type.policy';

describe('detectFileType', () => {
  it.each<[string, Buffer, string]>([
    ['PDF', samplePdf(), 'application/pdf'],
    ['PNG', samplePng(), 'image/png'],
    ['JPEG', sampleJpeg(), 'image/jpeg'],
    ['ODT', sampleOdt(), 'application/vnd.oasis.opendocument.text'],
    ['ODS', sampleOds(), 'application/vnd.oasis.opendocument.spreadsheet'],
    ['DOCX', sampleDocx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['XLSX', sampleXlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    [
      'ZIP with a trailing comment',
      Buffer.concat([sampleDocx().subarray(0, -2), Buffer.from([7, 0]), Buffer.from('comment')]),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
  ])('accepts a %s', (_label, content, mediaType) => {
    expect(detectFileType(content)).toEqual(expect.objectContaining({ ok: true, mediaType }));
  });

  it.each<[string, Buffer, string]>([
    ['an empty file', Buffer.alloc(0), REFUSALS.empty],
    ['a Windows program renamed .pdf', sampleExe(), REFUSALS.executable],
    ['a Linux program', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), REFUSALS.executable],
    ['an HTML page renamed .png', sampleHtml(), REFUSALS.html],
    [
      'an SVG image (may carry scripts)',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      REFUSALS.html,
    ],
    ['plain text', Buffer.from('Bonjour'), REFUSALS.unknown],
    ['a GIF image', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), REFUSALS.unknown],
    ['a ZIP that is neither', zipOf([{ name: 'setup.exe', data: sampleExe() }]), REFUSALS.otherZip],
    ['a ZIP claiming OOXML without a document part', zipOf([{ name: '[Content_Types].xml', data: '<Types/>' }]), REFUSALS.otherZip],
    [
      'an ODF-like ZIP whose mimetype is not a text or spreadsheet',
      zipOf([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.presentation' }]),
      REFUSALS.otherZip,
    ],
    [
      'a Word document with macros',
      zipOf([
        { name: '[Content_Types].xml', data: '<Types/>' },
        { name: 'word/document.xml', data: '<w:document/>' },
        { name: 'word/vbaProject.bin', data: 'VBA' },
      ]),
      REFUSALS.macros,
    ],
    ['a truncated ZIP', sampleDocx().subarray(0, 60), REFUSALS.brokenZip],
    [
      'a ZIP whose directory points outside the file',
      Buffer.concat([sampleXlsx().subarray(0, -6), Buffer.from([0xff, 0xff, 0xff, 0x7f, 0, 0])]),
      REFUSALS.brokenZip,
    ],
  ])('refuses %s, saying why', (_label, content, reason) => {
    expect(detectFileType(content)).toEqual({ ok: false, reason });
  });
});

describe('downloadDetail', () => {
  it.each([
    ['application/pdf', 303, 'PDF – 303 octets'],
    ['application/pdf', 1, 'PDF – 1 octet'],
    ['image/jpeg', 61_880, 'JPG – 61,9 ko'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 1_234_567, 'DOCX – 1,2 Mo'],
    ['application/vnd.oasis.opendocument.spreadsheet', 10_000_000, 'ODS – 10 Mo'],
    ['text/plain', 999, 'text/plain – 999 octets'],
  ])('%s, %d bytes → %j', (mediaType, size, expected) => {
    expect(downloadDetail(mediaType, size)).toBe(expected);
  });
});
