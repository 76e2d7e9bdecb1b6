import { Injectable } from '@nestjs/common';

/**
 * The time every deadline is computed against. Tests move it forward to expire deadlines
 * without waiting; production never moves it.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  travel(ms: number): void {
    this.offsetMs += ms;
  }
}

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in France (YYYY-MM-DD), for absences and other whole-day facts. */
export function parisDay(date: Date): string {
  return PARIS_DAY.format(date);
}
