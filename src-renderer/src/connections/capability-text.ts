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
  /**
   * False while the feature that uses it is not part of this build: its scopes would be asked for
   * and never used, so it cannot be allowed yet (one already allowed can still be stopped).
   */
  inThisBuild: boolean;
  /** Where it will arrive, when it is not in this build. */
  arrivesWith: string;
}

export const capabilityText: Record<CapabilityId, CapabilityText> = {
  revoke_grants: {
    title: 'Revoke grants',
    activity: 'revoking grants',
    short: 'Revokes grants',
    description: 'Remove third-party apps’ access for the users you choose on the Grants page, always after a plan you confirm.',
    inThisBuild: true,
    arrivesWith: '',
  },
  consent: {
    title: 'Manage admin consent',
    activity: 'managing admin consent',
    short: 'Admin consent',
    description: 'Grant tenant-wide consent for an app with exactly the scopes you reviewed, remove it, and read consent requests and policies.',
    inThisBuild: false,
    arrivesWith: 'the Consent page',
  },
  credentials: {
    title: 'Rotate keys and secrets',
    activity: 'rotating keys and secrets',
    short: 'Rotates keys',
    description: 'Create, rotate, disable and delete app secrets, service-account keys and API keys.',
    inThisBuild: false,
    arrivesWith: 'the Credentials page',
  },
  offboarding: {
    title: 'Offboard departed people',
    activity: 'offboarding',
    short: 'Offboards',
    description: 'Sign departed people out, remove their access and grants, and suspend or disable their accounts.',
    inThisBuild: false,
    arrivesWith: 'the Offboarding page',
  },
};
