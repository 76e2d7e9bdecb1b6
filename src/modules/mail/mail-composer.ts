import { Environment, FileSystemLoader } from 'nunjucks';
import { join } from 'node:path';
import { addFrenchFilters } from '../../common/french-format';
import { addRichTextFilter } from '../requests/rich-text';

export interface ComposedMail {
  text: string;
  html: string;
}

/** Renders a template pair: `<name>.text.njk` as plain text and `<name>.html.njk` escaped. */
export class MailComposer {
  private readonly html = addRichTextFilter(
    addFrenchFilters(new Environment(new FileSystemLoader(join(__dirname, 'templates')), { autoescape: true })),
    true,
  );
  private readonly text = addRichTextFilter(
    addFrenchFilters(new Environment(new FileSystemLoader(join(__dirname, 'templates')), { autoescape: false })),
    false,
  );

  compose(template: string, context: Record<string, unknown>): ComposedMail {
    return {
      text: this.text.render(`${template}.text.njk`, context),
      html: this.html.render(`${template}.html.njk`, context),
    };
  }
}
