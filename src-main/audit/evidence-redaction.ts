/**
 * Provider records shown as evidence keep everything an auditor needs and lose what could act:
 * a Salesforce DeleteToken revokes a session, a token value is a credential. Removed fields are
 * replaced by a marker, so the admin sees that something was there.
 */
const capabilityFields = new Set(['deletetoken', 'token', 'access_token', 'refresh_token', 'id_token', 'secrettext', 'full_token', 'password', 'client_secret']);

export function redactEvidence(record: unknown): unknown {
  if (Array.isArray(record)) return record.map(redactEvidence);
  if (record === null || typeof record !== 'object') return record;
  return Object.fromEntries(
    Object.entries(record).map(([name, value]) => [name, capabilityFields.has(name.toLowerCase()) && value !== null && value !== '' ? '[removed: a credential]' : redactEvidence(value)]),
  );
}
