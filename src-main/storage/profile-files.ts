/**
 * The console's store files and what starting each one empty means. The shapes mirror the keys
 * the stores' readers use (SettingsService, ConnectionStore, SecretVault, the main window): a file
 * whose entry has another shape would be read as empty and replaced by the next save.
 */
import { describeValue, type ProfileFileSpec } from './profile-file-opening';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The problem with `content[key]`, when there is one and it is not an object. */
function objectEntryProblem(content: Record<string, unknown>, key: string): string | undefined {
  const value = content[key];
  return value === undefined || isObject(value) ? undefined : `its "${key}" entry is ${describeValue(value)} where Consentry keeps an object.`;
}

/** The problem with the list `content[key]`, when there is one: not a list, or an entry the reader cannot use. */
function listEntryProblem(content: Record<string, unknown>, key: string, noun: string, usable: (entry: unknown) => boolean): string | undefined {
  const entries = content[key];
  if (entries === undefined) return undefined;
  if (!Array.isArray(entries)) return `its "${key}" entry is ${describeValue(entries)} where Consentry keeps a list.`;
  const odd = entries.findIndex((entry) => !usable(entry));
  return odd === -1 ? undefined : `${noun} ${odd + 1} of ${entries.length} is ${describeValue(entries[odd])} where Consentry keeps ${isObject(entries[odd]) ? `a ${noun} it wrote` : 'an object'}.`;
}

export const settingsFile: ProfileFileSpec = {
  name: 'settings',
  consequence: 'Consentry uses its default settings until you save yours again on the Settings page.',
  shapeProblem: (content) => objectEntryProblem(content, 'settings'),
};

export const connectionsFile: ProfileFileSpec = {
  name: 'connections',
  consequence: 'The connection list starts empty; the tokens in the vault are kept. Add your connections again on the Connections page.',
  shapeProblem: (content) => listEntryProblem(content, 'connections', 'connection', isObject),
};

export const vaultFile: ProfileFileSpec = {
  name: 'vault',
  consequence: 'Your connections are still listed, but each needs a reconnect: their tokens were in this file. Reconnect them on the Connections page.',
  shapeProblem(content) {
    const problem = objectEntryProblem(content, 'records');
    if (problem || content.records === undefined) return problem;
    const odd = Object.values(content.records as Record<string, unknown>).find((record) => typeof record !== 'string');
    return odd === undefined ? undefined : `a token record in it is ${describeValue(odd)} where Consentry keeps encrypted text.`;
  },
};

/** The desktop app's window size and place. */
export const windowStateFile: ProfileFileSpec = {
  name: 'window-state',
  consequence: 'The window opens at its default size and place.',
  shapeProblem: (content) => objectEntryProblem(content, 'window'),
};

/** The Google app-access decisions (trusted, limited, blocked) Google offers no API for. */
export const googleAppDecisionsFile: ProfileFileSpec = {
  name: 'google-app-decisions',
  consequence: 'The list of Google apps you decided on starts empty; the Admin console keeps what you already set there. Decide again on the Consent page.',
  shapeProblem: (content) =>
    listEntryProblem(content, 'decisions', 'decision', (decision) => isObject(decision) && typeof decision.clientId === 'string' && typeof decision.connectionId === 'string'),
};

/** The Google Cloud projects whose service-account keys and API keys the credentials inventory reads, per connection. */
export const cloudProjectsFile: ProfileFileSpec = {
  name: 'cloud-projects',
  consequence: 'No Google Cloud project is named any more, so their keys are not listed. Name the projects again on the Credentials page.',
  shapeProblem: (content) =>
    listEntryProblem(content, 'connections', 'entry', (entry) => isObject(entry) && typeof entry.connectionId === 'string' && Array.isArray(entry.projects) && entry.projects.every((project) => typeof project === 'string')),
};

/** Which credential alerts (expiring, expired) were raised already, so each is raised once. */
export const credentialAlertsFile: ProfileFileSpec = {
  name: 'credential-alerts',
  consequence: 'Credentials that are expiring or expired are announced once more at the next check.',
  shapeProblem: (content) => listEntryProblem(content, 'raised', 'alert', (entry) => isObject(entry) && typeof entry.key === 'string' && typeof entry.status === 'string'),
};

/** The offboarding list being prepared (its rows, fixes and last check) and the plan made from it. */
export const offboardingListFile: ProfileFileSpec = {
  name: 'offboarding-list',
  consequence: 'The offboarding list being prepared starts empty; runs already started are kept. Import the list again on the Offboarding page.',
  shapeProblem: (content) => objectEntryProblem(content, 'list') ?? objectEntryProblem(content, 'plan'),
};

/** Manual offboarding steps the admin confirmed as done, per run. */
export const offboardingConfirmationsFile: ProfileFileSpec = {
  name: 'offboarding-confirmations',
  consequence: 'Manual offboarding steps you confirmed as done show as to do again; the activity log keeps your confirmations. Confirm them again on the Offboarding page.',
  shapeProblem: (content) => listEntryProblem(content, 'confirmed', 'confirmation', (entry) => isObject(entry) && typeof entry.runId === 'string' && typeof entry.key === 'string'),
};
