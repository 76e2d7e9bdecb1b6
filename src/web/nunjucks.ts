import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { addFrenchFilters } from '../common/french-format';
import { downloadDetail } from '../modules/attachments/file-type.policy';
import { addRichTextFilter } from '../modules/requests/rich-text';
import { randomToken } from '../common/tokens';
import { FIELD_LABELS } from './form-left-behind.policy';

/** The shared layout lives in web/views; each feature module keeps its pages in its own views/ folder. */
function viewFolders(): string[] {
  const modules = join(__dirname, '..', 'modules');
  const moduleViews = readdirSync(modules)
    .map((name) => join(modules, name, 'views'))
    .filter((folder) => existsSync(folder));
  return [join(__dirname, 'views'), ...moduleViews];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
/** A form model sent back with its errors (formModel's errorList). */
const isFailedForm = (value: unknown) => isObject(value) && Array.isArray(value.errorList) && value.errorList.length > 0;

/** Autoescape is on for every page: user text is always shown as typed, never as markup. */
export function configureViews(app: NestExpressApplication, production: boolean): nunjucks.Environment {
  const env = nunjucks.configure(viewFolders(), { autoescape: true, express: app, noCache: !production, throwOnUndefined: false });
  addFrenchFilters(env);
  addRichTextFilter(env, true);
  env.addFilter('downloadDetail', (file: { mediaType: string; size: number }) => downloadDetail(file.mediaType, Number(file.size)));
  // Whatever its forms are called (form, invite, password, forms.share…): a page sent back with errors says so in its title.
  env.addGlobal('sentBackWithErrors', function (this: { ctx: Record<string, unknown> }) {
    return Object.values(this.ctx).some((value) => isFailedForm(value) || (isObject(value) && Object.values(value).some(isFailedForm)));
  });
  // A staff form's one-time token, new at each showing: sent twice, it acts once (RepeatedActionInterceptor).
  env.addGlobal('newFormToken', () => randomToken());
  // The staff forms' free-text labels, written once: a form sent and not taken gives its text back under the same words.
  env.addGlobal('fieldLabels', FIELD_LABELS);
  app.setViewEngine('njk');
  return env;
}
