import type { DirectoryPerson } from '../../../../src-main/offboarding/offboarding-port';

/** A person as a provider's directory reads them: active and no admin unless said. */
export const directoryPerson = (email: string, state: Partial<Pick<DirectoryPerson, 'suspended' | 'superAdmin' | 'addresses'>> = {}): DirectoryPerson => ({
  id: `id-${email}`,
  email,
  displayName: null,
  suspended: state.suspended ?? false,
  superAdmin: state.superAdmin ?? false,
  ...(state.addresses ? { addresses: state.addresses } : {}),
});
