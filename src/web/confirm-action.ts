import type { Response } from 'express';

/** A page that asks before an action that cannot be undone or cuts someone off; its form posts to `action`. */
export interface ConfirmAction {
  /** The question, without its « ? »; also the page's title. */
  title: string;
  explanation: string[];
  action: string;
  confirmLabel: string;
  /** Posted with the confirmation as they are (the version of what the page shows, say). */
  hidden?: Record<string, string | number>;
  back: { href: string; label: string };
  /** A second effect the person may choose with the first, posted as `name=oui` when ticked (ticked at first). */
  option?: { name: string; label: string; hint: string };
  /** Requests the action leaves to someone (a facilitator's account deactivated), each linked to its page. */
  held?: { intro: string; requests: Array<{ reference: string; subject: string; statusLabel: string }> };
}

export function renderConfirmAction(res: Response, page: ConfirmAction): void {
  res.render('confirm-action', page);
}
