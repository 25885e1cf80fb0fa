/**
 * The one form an address takes in offboarding, wherever it comes from (an imported cell, a row
 * fixed by hand, a transfer-to, a directory, the signed-in account): without the invisible
 * characters copying leaves, trimmed and lower-case, so `Ann@Example.com ` and `ann@example.com`
 * are one person everywhere.
 */

/** The contract's limit on an address field; longer is no address anyway and gets its verdict. */
const maxAddress = 320;

// Copied addresses often carry invisible characters that trim() leaves: zero-width spaces and joiners.
const invisible = /[\u200B-\u200D\u2060\uFEFF]/g;

export const normalAddress = (value: string): string => value.replace(invisible, '').trim().toLowerCase().slice(0, maxAddress);
