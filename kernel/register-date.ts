/**
 * The register's clock. Every date rule of folkreg (a protection marker in force, a current address or
 * relation, a date "not in the future") reads the calendar date in the register's time zone, never the
 * UTC date and never the database session's `current_date`: between 00:00 and 01:00 (02:00 in summer)
 * local time those disagree, and a marker starting that day would be in force for one path of the
 * graph and not for another.
 */

/**
 * The register's time zone. Skatteverket and the CPR office keep the same clock: Europe/Stockholm and
 * Europe/Copenhagen are both CET/CEST with the EU's summer-time dates, so their calendar dates agree at
 * every instant (a unit test checks every hour of a year) and one zone serves both registers.
 */
export const REGISTER_TIME_ZONE = 'Europe/Stockholm';

const format = new Intl.DateTimeFormat('en-CA', { timeZone: REGISTER_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

let formattedSecond = NaN;
let formatted = '';

/**
 * Today's date in the register's time zone, `YYYY-MM-DD`, at `now` (the clock of this process).
 * Formatted once per second of the clock: a zone's midnight falls on a whole second, and Intl's format
 * per call was 1 % of a search's subgraph CPU (the rule of "in force" reads it for every person).
 */
export function registerDate(now: Date = new Date()): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== formattedSecond) {
    formatted = format.format(now);
    formattedSecond = second;
  }
  return formatted;
}
