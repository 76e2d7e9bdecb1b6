import { latestWorkingDayAt, withinOfficeHours } from '../../common/working-days.policy';
import type { MailToQueue } from '../mail/mail.service';
import type { NetworkRecipients } from './routing.repository';

/** How many requests one digest to the animators names; it counts the rest and links to the queue that lists them all. */
export const DIGEST_NAMED = 50;

/**
 * When the pool or escalation digest of what a network gathers at `now` goes: at the end of the current period
 * (`periodMs`), or at the next opening of the network's office when that falls outside its office hours
 * (withinOfficeHours, the département of its clock). Every period of a night or a weekend meets at that opening:
 * one digest for all it gathered, not one per period.
 */
export function networkDigestAt(now: Date, periodMs: number, departmentCode: string): Date {
  const periodEnd = new Date((Math.floor(now.getTime() / periodMs) + 1) * periodMs);
  return withinOfficeHours(periodEnd, departmentCode);
}

/**
 * Whether a network's pool or escalation digest may go at `now`: within its office hours. A job or a sweep that comes
 * to it at night leaves it unannounced, for the sweep to send at the opening.
 */
export function networkDigestGoesAt(now: Date, departmentCode: string): boolean {
  return withinOfficeHours(now, departmentCode).getTime() === now.getTime();
}

/**
 * Whether a network's daily digest, run at `hour`:00 of its working days (before the opening), may go at `now`: from
 * that hour to the opening, the day's run; past it, a run missed at its hour (the worker down) waits for office hours
 * (networkDigestGoesAt) rather than reach the animators at night.
 */
export function dailyDigestGoesAt(now: Date, hour: number, departmentCode: string): boolean {
  const run = latestWorkingDayAt(now, hour, departmentCode);
  return now < withinOfficeHours(run, departmentCode) || networkDigestGoesAt(now, departmentCode);
}

/**
 * A digest to a network, one message to each of its recipients (its animators, or its contact address while it has
 * none), each told which network it is about and whether it reached the contact address. None to a network without either.
 * `ofSeveral`: the recipient hears of other networks too, so its subject and links may need to name this one.
 */
export function networkDigestMails(
  network: NetworkRecipients | null,
  digest: (network: NetworkRecipients, ofSeveral: boolean) => Omit<MailToQueue, 'recipient'>,
): MailToQueue[] {
  if (!network?.emails.length) return [];
  return network.emails.map((recipient) => {
    const mail = digest(network, network.ofSeveral.includes(recipient));
    return { ...mail, recipient, context: { ...mail.context, networkName: network.networkName, toNetworkContact: network.toContact } };
  });
}
