/**
 * Moments as the messages and evidence write them: "2 Jun 2026 22:11 UTC", never an ISO stamp.
 * In UTC, so a message reads the same on every machine and in an exported file.
 */

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const twoDigits = (value: number) => String(value).padStart(2, '0');

/** "2 Jun 2026"; the text itself when it is not a date. */
export function utcDayInWords(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.getUTCDate()} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}

/**
 * "2 Jun 2026 22:11 UTC"; with `seconds`, "2 Jun 2026 22:11:06 UTC", for moments that must differ
 * within a minute (two revocations of one person's sessions). The text itself when it is not a date.
 */
export function utcTimeInWords(iso: string, options: { seconds?: boolean } = {}): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const seconds = options.seconds ? `:${twoDigits(at.getUTCSeconds())}` : '';
  return `${utcDayInWords(iso)} ${twoDigits(at.getUTCHours())}:${twoDigits(at.getUTCMinutes())}${seconds} UTC`;
}
