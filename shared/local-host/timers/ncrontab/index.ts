/**
 * Timer-trigger schedules as the Azure Functions runtime reads them.
 *
 * The timer extension (Microsoft.Azure.WebJobs.Extensions, `TimerSchedule.Create`) first tries the
 * expression as an NCrontab expression (`CronSchedule`, NCrontab 3.3.3) and then as a .NET
 * `TimeSpan` (`ConstantSchedule`, a fixed interval). This module reproduces both (`parse.ts`,
 * `cron-fields.ts`, `cron-schedule.ts`, `constant-schedule.ts`):
 *
 * - six fields `{second} {minute} {hour} {day} {month} {day-of-week}` separated by spaces; each
 *   field is `*`, a value, a range `a-b` (a reversed range is swapped, as NCrontab does), a step
 *   `x/n` (`*`, a range or a start value, which runs to the field's maximum), or a comma list of
 *   those. Months and days of the week also take English names, case-insensitively, and any
 *   prefix of the name (`Jan`, `January`, `Mon`, `Monday`);
 * - day of week is 0-6 with 0 = Sunday; 7 is rejected (NCrontab's range is 0-6);
 * - when both day-of-month and day-of-week are restricted, BOTH must match (NCrontab finds the
 *   next day-of-month and then requires the day of week; classic Vixie cron would use OR);
 * - `L`, `W`, `#`, `?` and `@yearly`-style macros are not NCrontab and are rejected;
 * - times are wall-clock times in the schedule's time zone (UTC unless `WEBSITE_TIME_ZONE`/`TZ`
 *   names another), with the runtime's daylight-saving rules (`time-zones.ts`; see `Schedule.next`).
 *
 * Past-due handling follows the runtime's `ScheduleMonitor.CheckPastDueAsync` and
 * `TimerListener` (`monitor.ts`).
 */

export { defaultUseMonitor, computeStartupStatus, formatStatusDate, isPastDue, NEVER, type ScheduleStatus, type StartupStatus, statusAfterInvocation } from './monitor';
export { type ParseScheduleOptions, parseSchedule } from './parse';
export { type Schedule, ScheduleExpressionError } from './schedule';
export { timeZoneFromEnvironment } from './time-zones';
