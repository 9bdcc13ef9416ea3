// Opening hours as flows and the PBX environment write them: days and an HH:MM range.
import { z } from 'zod';
import { WEEKDAYS } from './model';

export const Weekday = z.enum(WEEKDAYS);
export const TimeRange = z.object({
  days: z.array(Weekday),
  /** "HH:MM", 24-hour; `to` is exclusive. */
  from: z.string(),
  to: z.string(),
});

export type TimeRange = z.infer<typeof TimeRange>;
