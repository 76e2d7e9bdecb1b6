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

  /** A queued message as it is sent: its template, given its context and its subject. */
  compose(message: { template: string; subject: string; context: Record<string, unknown> }): ComposedMail {
    const context = { ...message.context, mailSubject: message.subject };
    return {
      text: this.text.render(`${message.template}.text.njk`, context),
      html: this.html.render(`${message.template}.html.njk`, context),
    };
  }
}
