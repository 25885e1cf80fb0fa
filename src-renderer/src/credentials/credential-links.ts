/** The Credentials page's address, and the query that opens one credential's rotation wizard on it. */
export const credentialsPath = '/credentials';
export const rotateParam = 'rotate';

export function rotatePath(credentialKey: string): string {
  return `${credentialsPath}?${new URLSearchParams({ [rotateParam]: credentialKey }).toString()}`;
}
