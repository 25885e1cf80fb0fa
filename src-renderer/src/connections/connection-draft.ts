import { ConnectionDraftSchema, ConnectionPreviewRequestSchema, type ConnectionDraft, type ConnectionPreviewRequest, type ConnectionSettings, type MicrosoftCloud, type ProviderFieldName, type ProviderPreset } from '../../../src-shared/contract/connections';
import type { FieldProblem } from '../../../src-shared/contract/envelope';
import type { CapabilityId } from '../../../src-shared/domain/ids';

/** What the admin types on the Client step, as the inputs hold it (strings; '' for empty). */
export interface ClientValues {
  label: string;
  clientId: string;
  /** Held only until it is sent with a sign-in attempt. */
  clientSecret: string;
  tenant: string;
  cloud: MicrosoftCloud | '';
  myDomain: string;
  orgUrl: string;
  subdomain: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  redirectPort: number | string;
  auditScopes: string;
}

export const emptyClientValues: ClientValues = {
  label: '',
  clientId: '',
  clientSecret: '',
  tenant: '',
  cloud: '',
  myDomain: '',
  orgUrl: '',
  subdomain: '',
  issuer: '',
  authorizationEndpoint: '',
  tokenEndpoint: '',
  revocationEndpoint: '',
  redirectPort: '',
  auditScopes: '',
};

/** The key an input's error is filed under: `label`, `clientSecret`, `settings.myDomain`, … */
export type DraftField = 'label' | 'clientId' | 'clientSecret' | `settings.${keyof ConnectionSettings}`;
export type FieldErrors = Partial<Record<DraftField, string>>;

export const endpointFields = ['authorizationEndpoint', 'tokenEndpoint', 'revocationEndpoint', 'redirectPort'] as const;

/** "one per line or space-separated" → the list the contract wants. */
export function parseScopeList(text: string): string[] {
  return text.split(/\s+/).filter((scope) => scope !== '');
}

function settingsFrom(preset: ProviderPreset, values: ClientValues): ConnectionSettings {
  const settings: Record<string, unknown> = {};
  // Only the fields this provider asks for, so values typed for another provider never travel.
  for (const field of preset.fields) {
    const value = values[field.name as ProviderFieldName].trim();
    if (value !== '') settings[field.name] = value;
  }
  for (const name of ['authorizationEndpoint', 'tokenEndpoint', 'revocationEndpoint'] as const) {
    const value = values[name].trim();
    if (value !== '') settings[name] = value;
  }
  if (typeof values.redirectPort === 'number') settings.redirectPort = values.redirectPort;
  if (preset.scopesEditable) {
    const audit = parseScopeList(values.auditScopes);
    if (audit.length > 0) settings.auditScopes = audit;
  }
  return settings as ConnectionSettings;
}

/** The draft sent with 'connections.connect': everything typed, the secret included. */
export function connectionDraft(preset: ProviderPreset, values: ClientValues, capabilities: readonly CapabilityId[]): ConnectionDraft {
  const secret = values.clientSecret.trim();
  return {
    provider: preset.id,
    label: values.label.trim(),
    clientId: values.clientId.trim(),
    ...(preset.clientSecret !== 'none' && secret !== '' ? { clientSecret: secret } : {}),
    settings: settingsFrom(preset, values),
    capabilities: [...capabilities],
  };
}

/**
 * What 'connections.preview' is asked: the redirect URI is needed to register the client, so before
 * there is a client ID; neither it, the name nor the secret is part of a preview.
 */
export function previewRequest(preset: ProviderPreset, values: ClientValues, capabilities: readonly CapabilityId[]): ConnectionPreviewRequest {
  return { provider: preset.id, settings: settingsFrom(preset, values), capabilities: [...capabilities] };
}

/** A contract path (`draft.settings.auditScopes.2`, `clientSecret`) as the input it belongs to. */
export function draftFieldOf(path: string): DraftField | null {
  const parts = path.replace(/^draft\./, '').split('.');
  const [head, name] = parts;
  if (head === 'label' || head === 'clientId' || head === 'clientSecret') return head;
  if (head === 'settings' && name) return `settings.${name}` as DraftField;
  return null;
}

/** Problems filed by input; those no input shows are returned apart so they are not lost. */
export function fieldErrorsFrom(problems: readonly FieldProblem[]): { byField: FieldErrors; unplaced: string[] } {
  const byField: FieldErrors = {};
  const unplaced: string[] = [];
  for (const problem of problems) {
    const field = draftFieldOf(problem.field);
    if (field) byField[field] ??= problem.message;
    else unplaced.push(problem.message);
  }
  return { byField, unplaced };
}

/**
 * The contract's own rules and the provider's required fields, checked before anything is sent
 * (main checks them again). A preview carries no secret, so it is checked without one.
 */
export function checkDraft(preset: ProviderPreset, draft: ConnectionDraft): FieldErrors {
  const byField = checked(preset, ConnectionDraftSchema.safeParse(draft), draft.settings);
  if (preset.clientSecret === 'required' && !draft.clientSecret) {
    byField.clientSecret ??= `Enter the client secret. ${preset.clientSecretNote}`;
  }
  return byField;
}

/** The same rules for a preview request, which has no name, client ID or secret. */
export function checkPreviewRequest(preset: ProviderPreset, request: ConnectionPreviewRequest): FieldErrors {
  return checked(preset, ConnectionPreviewRequestSchema.safeParse(request), request.settings);
}

function checked(preset: ProviderPreset, outcome: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, settings: ConnectionSettings | undefined): FieldErrors {
  const { byField } = fieldErrorsFrom(outcome.success ? [] : (outcome.error?.issues ?? []).map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message })));
  for (const field of preset.fields) {
    const key = `settings.${field.name}` as DraftField;
    if (field.required && !settings?.[field.name]) byField[key] ??= `Enter the ${field.label}.`;
  }
  return byField;
}
