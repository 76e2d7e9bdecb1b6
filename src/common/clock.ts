import { Injectable } from '@nestjs/common';
import { localDay } from './local-clock';

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

/** The calendar day in Paris (YYYY-MM-DD), for national whole-day facts; absences follow each network's (networkDays). */
export function parisDay(date: Date): string {
  return localDay(null, date);
}
