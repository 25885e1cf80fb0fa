/**
 * Google's paging tokens are opaque to clients; the simulator's hold an offset that only it reads.
 */
export function googlePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

/** The offset a token stands for: 0 without one, null for a token this simulator did not issue. */
export function offsetOfGooglePageToken(token: string | null): number | null {
  if (token === null || token === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}
