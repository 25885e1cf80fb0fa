/**
 * A directory reading looked up by address: a person is found by any of their addresses (primary,
 * aliases, UPN, mail), so a list naming someone's alias or a UPN that differs from their mail still
 * finds them, and two rows naming one person by two addresses are one person.
 */
import { normalAddress } from './email-address';
import type { DirectoryPerson, DirectoryReading } from './offboarding-port';

/** Every address of the person, normalised, the primary first. */
export function addressesOf(person: DirectoryPerson): string[] {
  return [...new Set([person.email, ...(person.addresses ?? [])].map(normalAddress))];
}

export class DirectoryIndex {
  readonly reading: DirectoryReading;
  readonly #byAddress = new Map<string, DirectoryPerson>();

  constructor(reading: DirectoryReading) {
    this.reading = reading;
    // Primary addresses first: an alias another person also lists never hides someone's own address.
    for (const person of reading.people) this.#byAddress.set(normalAddress(person.email), person);
    for (const person of reading.people) {
      for (const address of addressesOf(person)) if (!this.#byAddress.has(address)) this.#byAddress.set(address, person);
    }
  }

  /** The person with this address, in any case. */
  find(address: string | null): DirectoryPerson | undefined {
    return address === null ? undefined : this.#byAddress.get(normalAddress(address));
  }
}

/**
 * The admin account a connection is signed in with. Where its directory holds the account, a person
 * is it when they are the same directory entry (found by any address); elsewhere, when the address
 * is the account's.
 */
export class SignedInAccount {
  readonly address: string;
  readonly person: DirectoryPerson | undefined;

  constructor(account: string, index: DirectoryIndex | null) {
    this.address = normalAddress(account);
    this.person = index?.find(this.address);
  }

  /** `address` normalised; `person` as the same directory found it, if it did. */
  is(address: string, person: DirectoryPerson | undefined): boolean {
    return address === this.address || (this.person !== undefined && person?.id === this.person.id);
  }
}
