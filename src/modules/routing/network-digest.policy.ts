import { latestWorkingDayAt, OFFICE_OPENS_HOUR, withinOfficeHours } from '../../common/working-days.policy';
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

/** How early a digest's job may run and still go as at the time it was planned for: hosts' clocks differ a little. */
export const DIGEST_CLOCK_SKEW_MS = 60_000;

/** How late past its time a digest's job is taken as lost (with Redis), for the sweep to send what it would have. */
export const DIGEST_JOB_LOST_AFTER_MS = 60_000;

/**
 * Whether a network's pool or escalation digest may go at `now`: within its office hours. A job or a sweep that comes
 * to it at night leaves it unannounced, for the sweep to send at the opening. A job planned `at` the opening
 * (networkDigestAt) that runs up to DIGEST_CLOCK_SKEW_MS before it goes as if on time, rather than wait for the sweep.
 */
export function networkDigestGoesAt(now: Date, departmentCode: string, at?: Date): boolean {
  const asOf = at && now < at && now.getTime() >= at.getTime() - DIGEST_CLOCK_SKEW_MS ? at : now;
  return withinOfficeHours(asOf, departmentCode).getTime() === asOf.getTime();
}

/**
 * Whether the sweep may send at `now` a digest whose job was lost: in office hours, once the latest opening is a whole
 * period (`periodMs`) and DIGEST_JOB_LOST_AFTER_MS past, so that what was held for the opening, or gathered since,
 * goes by its own job first.
 */
export function lostDigestGoesAt(now: Date, periodMs: number, departmentCode: string): boolean {
  const opening = latestWorkingDayAt(now, OFFICE_OPENS_HOUR, departmentCode);
  return networkDigestGoesAt(now, departmentCode) && opening.getTime() <= now.getTime() - periodMs - DIGEST_JOB_LOST_AFTER_MS;
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
