// The `from`/`to` of the progress query: ISO-8601 dates (whole UTC days, `to` included) or date-times
// (`to` included to the millisecond). A bad value is a 422 in the one validation-error shape.

export const ISO_DATE_OR_TIME = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$';

const DAY_MS = 86_400_000;

/** A 422 that the error handler reports like a schema failure, at `querystring.<field>`. */
function invalid(field: string, message: string): Error {
  return Object.assign(new Error(message), {
    statusCode: 422,
    validation: [{ instancePath: `/${field}`, message }],
    validationContext: 'querystring',
  });
}

/** Milliseconds since the epoch, or null for a date that does not exist (2025-02-30, 24:00). */
function parseInstant(text: string): number | null {
  const time = Date.parse(text);
  if (Number.isNaN(time)) return null;
  // Date.parse rolls 2025-02-30 over into March: the calendar date written must be the one parsed.
  const [date, clock] = text.split('T');
  const offset = clock?.match(/([+-])(\d{2}):(\d{2})$/);
  const shiftMs = offset ? (offset[1] === '+' ? 1 : -1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 : 0;
  if (new Date(time + shiftMs).toISOString().slice(0, 10) !== date) return null;
  const hours = clock ? Number(clock.slice(0, 2)) : 0;
  return hours < 24 ? time : null;
}

export interface Period {
  /** Recording times from this instant (included) ... */
  from?: string;
  /** ... to before this one. */
  before?: string;
}

/** The last instant of year 9999. */
const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function parsePeriod(query: { from?: string; to?: string }): Period {
  const period: Period = {};
  let fromMs: number | null = null;
  if (query.from !== undefined) {
    fromMs = parseInstant(query.from);
    if (fromMs === null) throw invalid('from', 'is not a real date or date-time');
    period.from = new Date(fromMs).toISOString();
  }
  if (query.to !== undefined) {
    const toMs = parseInstant(query.to);
    if (toMs === null) throw invalid('to', 'is not a real date or date-time');
    // A date means the whole day; a date-time is included itself.
    const beforeMs = query.to.includes('T') ? toMs + 1 : toMs + DAY_MS;
    if (fromMs !== null && beforeMs <= fromMs) throw invalid('to', 'must not be before from');
    // Past year 9999 an instant has no ISO form the reply can carry: such a period simply has no end.
    if (beforeMs <= MAX_INSTANT_MS) period.before = new Date(beforeMs).toISOString();
  }
  return period;
}
