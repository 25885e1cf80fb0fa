import type { CapabilityId } from '../../../src-shared/domain/ids';

/** How each capability is named and explained wherever the admin allows or stops it. */
export interface CapabilityText {
  /** "Revoke grants": a title in the wizard and the details. */
  title: string;
  /** "revoking grants": after "Allow" / "Stop" in a sentence. */
  activity: string;
  /** A badge in the connections table. */
  short: string;
  description: string;
}

export const capabilityText: Record<CapabilityId, CapabilityText> = {
  revoke_grants: {
    title: 'Revoke grants',
    activity: 'revoking grants',
    short: 'Revokes grants',
    description: 'Remove third-party apps’ access for the users you choose on the Grants page, always after a plan you confirm.',
  },
  consent: {
    title: 'Manage admin consent',
    activity: 'managing admin consent',
    short: 'Admin consent',
    description: 'Grant tenant-wide consent for an app with exactly the scopes you reviewed, remove it, and read consent requests and policies.',
  },
  credentials: {
    title: 'Rotate keys and secrets',
    activity: 'rotating keys and secrets',
    short: 'Rotates keys',
    description: 'Create, rotate, disable and delete app secrets, service-account keys and API keys.',
  },
  offboarding: {
    title: 'Offboard departed people',
    activity: 'offboarding',
    short: 'Offboards',
    description: 'Sign departed people out, remove their access and grants, and suspend or disable their accounts.',
  },
};
