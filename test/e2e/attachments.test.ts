import { Body, Controller, HttpCode, Module, Param, Post, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/app-config';
import { runAsOne } from '../../src/database/sql-statement';
import { AttachmentsModule } from '../../src/modules/attachments/attachments.module';
import { AttachmentsService, UploadedFile } from '../../src/modules/attachments/attachments.service';
import { REFUSALS } from '../../src/modules/attachments/file-type.policy';
import { UploadInterceptor } from '../../src/modules/attachments/upload.interceptor';
import { RequestMessagesRepository } from '../../src/modules/requests/request-messages.repository';
import { helpItemOf, MessageKind } from '../../src/modules/requests/request-message.types';
import { RequestsModule } from '../../src/modules/requests/requests.module';
import { configureHttp } from '../../src/web/http-setup';
import { sampleExe, samplePdf, samplePng } from '../support/sample-files';
import { capturingLogger, flushQueues, resetDatabase, validRequestBody } from '../support/test-app';

/** No upload page exists yet: a route of the test's own, using the interceptor and the service as pages will. */
@Controller('test-upload')
class UploadTestController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly dataSource: DataSource,
  ) {}

  @Post(':requestId')
  @HttpCode(201)
  @UseInterceptors(UploadInterceptor())
  async upload(@Param('requestId') requestId: string, @UploadedFiles() files: UploadedFile[] | undefined, @Body() body: { note?: string }) {
    const { attachments, statements } = this.attachments.prepare(files ?? [], {
      requestId,
      messageId: null,
      uploadedByType: 'staff',
      uploadedById: null,
    });
    await runAsOne(this.dataSource, statements);
    return { attachments, note: body.note };
  }
}

describe('attachments: upload limits and checks, storage, the buyer’s download', () => {
  const config = loadConfig(process.env);
  let app: NestExpressApplication;
  let url: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    @Module({
      imports: [AppModule.forRoles({ api: true, worker: false }, config, capturingLogger([])), AttachmentsModule, RequestsModule],
      controllers: [UploadTestController],
    })
    class UploadTestModule {}
    app = await NestFactory.create<NestExpressApplication>(UploadTestModule, { bodyParser: false, logger: false });
    configureHttp(app, config, capturingLogger([]));
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    dataSource = app.get(DataSource);
  });
  beforeEach(async () => {
    await resetDatabase(dataSource);
    await flushQueues();
  });
  afterAll(() => app.close());

  async function submit(n: number): Promise<{ id: string; reference: string; token: string }> {
    const response = await fetch(`${url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody(n)),
    });
    expect(response.status).toBe(201);
    const { reference, trackingUrl } = await response.json();
    const [{ id }] = await dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    return { id, reference, token: new URL(trackingUrl).searchParams.get('t')! };
  }

  function upload(requestId: string, files: Array<{ name: string; content: Buffer; type?: string }>, fields: Record<string, string> = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files)
      form.append('fichiers', new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/pdf' }), file.name);
    return fetch(`${url}/test-upload/${requestId}`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
  }

  describe('upload interceptor', () => {
    it('stores a good PDF: description, bytes and checksum, with the form’s text fields', async () => {
      const request = await submit(1);
      const response = await upload(request.id, [{ name: 'Guide des achats durables.pdf', content: samplePdf() }], { note: 'Bonjour' });
      expect(response.status).toBe(201);
      const body = await response.json();
      expect(body.note).toBe('Bonjour');
      expect(body.attachments).toEqual([
        { id: expect.any(String), fileName: 'Guide des achats durables.pdf', mediaType: 'application/pdf', size: samplePdf().length },
      ]);
      const [row] = await dataSource.query(
        `SELECT a.request_id, a.media_type, a.size, a.sha256, a.uploaded_by_type, c.content
           FROM attachments a JOIN attachment_contents c ON c.attachment_id = a.id WHERE a.id = $1`,
        [body.attachments[0].id],
      );
      expect(row).toEqual(
        expect.objectContaining({
          request_id: request.id,
          media_type: 'application/pdf',
          size: samplePdf().length,
          uploaded_by_type: 'staff',
        }),
      );
      expect(Buffer.compare(row.content, samplePdf())).toBe(0);
      expect(row.sha256.toString('hex')).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses a file of 10 MB and 1 byte: 413 with a French message, nothing stored', async () => {
      const request = await submit(1);
      const tooBig = Buffer.concat([samplePdf(), Buffer.alloc(config.ATTACHMENT_MAX_BYTES + 1 - samplePdf().length)]);
      expect(tooBig.length).toBe(10 * 1024 * 1024 + 1);
      const response = await upload(request.id, [{ name: 'gros.pdf', content: tooBig }]);
      expect(response.status).toBe(413);
      expect((await response.json()).message).toBe('Le fichier « gros.pdf » dépasse la taille maximale de 10 Mo.');
      expect(await dataSource.query(`SELECT id FROM attachments`)).toEqual([]);
    });

    it('accepts a file of exactly 10 MB', async () => {
      const request = await submit(1);
      const justRight = Buffer.concat([samplePdf(), Buffer.alloc(config.ATTACHMENT_MAX_BYTES - samplePdf().length)]);
      expect((await upload(request.id, [{ name: 'limite.pdf', content: justRight }])).status).toBe(201);
    });

    it('refuses a program renamed .pdf: 415 with the reason, and none of the files sent with it', async () => {
      const request = await submit(1);
      const response = await upload(request.id, [
        { name: 'ok.pdf', content: samplePdf() },
        { name: 'facture.pdf', content: sampleExe() },
      ]);
      expect(response.status).toBe(415);
      const body = await response.json();
      // The good one is not kept either, and the message says so: the browser forgets it with the form.
      expect(body.errors).toEqual([
        {
          field: 'fichiers',
          message: `« facture.pdf » : ${REFUSALS.executable} « ok.pdf » n’est pas enregistré non plus : choisissez-le de nouveau.`,
        },
      ]);
      expect(await dataSource.query(`SELECT id FROM attachments`)).toEqual([]);
    });

    it('refuses an empty file with a 400 asking to choose it again (it is of no type), and none of the files sent with it', async () => {
      const request = await submit(1);
      const response = await upload(request.id, [
        { name: 'ok.pdf', content: samplePdf() },
        { name: 'cahier des charges.pdf', content: Buffer.alloc(0) },
      ]);
      expect(response.status).toBe(400);
      expect((await response.json()).errors).toEqual([
        { field: 'fichiers', message: '« cahier des charges.pdf » est vide : choisissez de nouveau le fichier.' },
      ]);
      expect(await dataSource.query(`SELECT id FROM attachments`)).toEqual([]);
    });

    it('refuses more files than allowed with a 400', async () => {
      const request = await submit(1);
      const files = Array.from({ length: config.ATTACHMENTS_PER_MESSAGE + 1 }, (_, i) => ({ name: `f${i}.png`, content: samplePng() }));
      const response = await upload(request.id, files);
      expect(response.status).toBe(400);
      expect((await response.json()).message).toBe(`Joignez au plus ${config.ATTACHMENTS_PER_MESSAGE} fichiers.`);
    });

    it('refuses a malformed multipart body with a 400, not a 500', async () => {
      const response = await fetch(`${url}/test-upload/${randomUUID()}`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz', accept: 'application/json' },
        body: '--xyz\r\nContent-Disposition: form-data; name="fichiers"; filename="a.pdf"\r\n\r\n%PDF-1.4 truncated',
      });
      expect(response.status).toBe(400);
      expect((await response.json()).message).toBe('Le formulaire envoyé est incomplet ou mal formé. Réessayez.');
    });
  });

  describe('buyer download through the tracking link', () => {
    /** A message of `kind` on the request, carrying one PDF, written as the workspace will: one statement. */
    async function messageWithFile(requestId: string, kind: MessageKind, fileName = 'Exemple de DCE.pdf'): Promise<string> {
      const messageId = randomUUID();
      const { attachments, statements } = app
        .get(AttachmentsService)
        .prepare([{ originalname: fileName, buffer: samplePdf() }], { requestId, messageId, uploadedByType: 'staff', uploadedById: null });
      const items =
        kind === 'answer'
          ? [
              helpItemOf('tender_file', { attachmentId: attachments[0].id }),
              helpItemOf('regulation', { legalReferenceCode: 'ccp-l2152-7' }),
            ]
          : [];
      await runAsOne(dataSource, [
        ...app
          .get(RequestMessagesRepository)
          .insertStatements({ id: messageId, requestId, kind, authorType: 'staff', authorId: null, body: 'Voici.' }, items),
        ...statements,
      ]);
      return attachments[0].id;
    }

    const download = (reference: string, id: string, token?: string) =>
      fetch(`${url}/suivi/${reference}/pieces-jointes/${id}${token === undefined ? '' : `?t=${encodeURIComponent(token)}`}`);

    it('sends the file of a sent answer with safe headers', async () => {
      const request = await submit(1);
      const id = await messageWithFile(request.id, 'answer', 'DCE « cantine » été.pdf');
      const response = await download(request.reference, id, request.token);
      expect(response.status).toBe(200);
      expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), samplePdf())).toBe(0);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="DCE _ cantine _ ete.pdf"; filename*=UTF-8''DCE%20%C2%AB%20cantine%20%C2%BB%20%C3%A9t%C3%A9.pdf`,
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    });

    it('sends the same file to a program with the token in its header; a wrong one is the API’s JSON 404', async () => {
      const request = await submit(1);
      const id = await messageWithFile(request.id, 'answer');
      const path = `/api/v1/requests/${request.reference}/files/${id}`;
      const response = await fetch(`${url}${path}`, { headers: { 'x-tracking-token': request.token } });
      expect(response.status).toBe(200);
      expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), samplePdf())).toBe(0);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      for (const headers of [{ 'x-tracking-token': 'faux' }, {}] as Array<Record<string, string>>) {
        const refused = await fetch(`${url}${path}`, { headers });
        expect(refused.status).toBe(404);
        expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
      }
      // The token in the URL is the browser's way, not the API's.
      expect((await fetch(`${url}${path}?t=${encodeURIComponent(request.token)}`)).status).toBe(404);
    });

    it('answers the same 404 for a wrong or missing token, another request’s file, a file not in a sent answer, a bad id', async () => {
      const mine = await submit(1);
      const other = await submit(2);
      const answerFile = await messageWithFile(mine.id, 'answer');
      const othersFile = await messageWithFile(other.id, 'answer');
      const clarificationFile = await messageWithFile(mine.id, 'clarification_question');
      const noteFile = await messageWithFile(mine.id, 'internal_note');
      const loose = app.get(AttachmentsService).prepare([{ originalname: 'brouillon.pdf', buffer: samplePdf() }], {
        requestId: mine.id,
        messageId: null,
        uploadedByType: 'staff',
        uploadedById: null,
      });
      await runAsOne(dataSource, loose.statements);

      const refused = [
        download(mine.reference, answerFile, 'x'.repeat(43)),
        download(mine.reference, answerFile),
        download(other.reference, answerFile, mine.token),
        download(mine.reference, othersFile, mine.token),
        download(mine.reference, clarificationFile, mine.token),
        download(mine.reference, noteFile, mine.token),
        download(mine.reference, loose.attachments[0].id, mine.token),
        download(mine.reference, 'pas-un-identifiant', mine.token),
        download('GV-0000-000000', answerFile, mine.token),
      ];
      for (const response of await Promise.all(refused)) {
        expect(response.status).toBe(404);
        expect(await response.text()).toContain('Page introuvable');
      }
      expect((await download(mine.reference, answerFile, mine.token)).status).toBe(200);
    });

    it('lists the files of an answer that no help item names, downloadable from the tracking page', async () => {
      const request = await submit(1);
      const messageId = randomUUID();
      const { attachments, statements } = app.get(AttachmentsService).prepare(
        [
          { originalname: 'Exemple de DCE.pdf', buffer: samplePdf() },
          { originalname: 'Guide <cantine>.pdf', buffer: samplePdf() },
        ],
        { requestId: request.id, messageId, uploadedByType: 'staff', uploadedById: null },
      );
      await runAsOne(dataSource, [
        ...app
          .get(RequestMessagesRepository)
          .insertStatements({ id: messageId, requestId: request.id, kind: 'answer', authorType: 'staff', authorId: null, body: 'Voici.' }, [
            helpItemOf('tender_file', { attachmentId: attachments[0].id }),
          ]),
        ...statements,
      ]);
      const tracked = await (
        await fetch(`${url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } })
      ).json();
      const unnamed = `/suivi/${request.reference}/pieces-jointes/${attachments[1].id}`;
      expect(tracked.conversation[0].items[0].file.fileName).toBe('Exemple de DCE.pdf');
      expect(tracked.conversation[0].files).toEqual([
        {
          fileName: 'Guide <cantine>.pdf',
          mediaType: 'application/pdf',
          size: samplePdf().length,
          downloadPath: unnamed,
          apiDownloadPath: `/api/v1/requests/${request.reference}/files/${attachments[1].id}`,
        },
      ]);
      const page = await (await fetch(`${url}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}`)).text();
      expect(page).toContain('Fichiers joints');
      expect(page).toContain(`href="${unnamed}?t=${encodeURIComponent(request.token)}">Guide &lt;cantine&gt;.pdf`);
      expect((await download(request.reference, attachments[1].id, request.token)).status).toBe(200);
    });

    it('reads the conversation with help items for the buyer, without internal notes', async () => {
      const request = await submit(1);
      const fileId = await messageWithFile(request.id, 'answer');
      await messageWithFile(request.id, 'internal_note');
      const messages = app.get(RequestMessagesRepository);
      const forBuyer = await messages.messagesOf(request.id, 'buyer');
      expect(forBuyer.map((m) => m.kind)).toEqual(['answer']);
      expect(forBuyer[0].items).toEqual([
        expect.objectContaining({
          position: 0,
          type: 'tender_file',
          attachment: { id: fileId, fileName: 'Exemple de DCE.pdf', mediaType: 'application/pdf', size: samplePdf().length },
        }),
        expect.objectContaining({
          position: 1,
          type: 'regulation',
          legalReference: {
            label: expect.stringContaining('L2152-7'),
            url: expect.stringMatching(/^https:\/\/www\.legifrance\.gouv\.fr\//),
          },
        }),
      ]);
      expect((await messages.messagesOf(request.id, 'staff')).map((m) => m.kind)).toEqual(['answer', 'internal_note']);
    });
  });
});
