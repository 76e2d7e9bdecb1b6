import { IndicatorsService } from '../modules/reporting/indicators.service';
import type { CliCommand } from './cli-context';

/**
 * `indicators:backfill`: the working days to take in charge and to answer of requests handled before they were
 * stored. Safe to run again, or while the service runs (only empty values are filled).
 */
export const indicatorsBackfill: CliCommand = async (context, _args, io) => {
  const filled = await context.get(IndicatorsService).backfillDurations((done) => io.stderr.write(`${done} demandes complétées…\n`));
  io.stdout.write(`${filled} demande${filled > 1 ? 's' : ''} complétée${filled > 1 ? 's' : ''} (délais en jours ouvrés).\n`);
  return 0;
};
