/**
 * Every channel and event of the bridge, from each feature's map. Main validates each request
 * against its schema and parses each response and event through its schema before anything
 * crosses (zod strips keys a schema does not name, so a field added by mistake to a service
 * result never reaches the renderer).
 */
import type { z } from 'zod';
import { ipcChannels, isChannelName, isEventName, type ChannelName as ListedChannelName, type EventName as ListedEventName } from './channel-names';
import { activityChannels, activityEvents } from './activity';
import { appChannels } from './app';
import { connectionsChannels, connectionsEvents } from './connections';
import { consentChannels, consentEvents } from './consent';
import { credentialsChannels, credentialsEvents } from './credentials';
import type { ChannelSpec, Envelope } from './envelope';
import { grantsChannels, grantsEvents } from './grants';
import { jobsChannels, jobsEvents } from './jobs';
import { offboardingChannels, offboardingEvents } from './offboarding';
import { sampleChannels } from './sample';
import { settingsChannels, settingsEvents } from './settings';

export const channels = {
  ...activityChannels,
  ...appChannels,
  ...connectionsChannels,
  ...consentChannels,
  ...credentialsChannels,
  ...grantsChannels,
  ...jobsChannels,
  ...offboardingChannels,
  ...sampleChannels,
  ...settingsChannels,
} as const satisfies Record<string, ChannelSpec>;

export type ChannelName = keyof typeof channels;
/** What the renderer passes (defaults may be left out). */
export type RequestOf<C extends ChannelName> = z.input<(typeof channels)[C]['request']>;
/** What a main-side handler receives, after validation and defaults. */
export type ParsedRequestOf<C extends ChannelName> = z.output<(typeof channels)[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<(typeof channels)[C]['response']>;

export const events = {
  ...activityEvents,
  ...connectionsEvents,
  ...consentEvents,
  ...credentialsEvents,
  ...grantsEvents,
  ...jobsEvents,
  ...offboardingEvents,
  ...settingsEvents,
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventPayloadOf<E extends EventName> = z.output<(typeof events)[E]>;


// The preload checks names against plain lists (no zod in its bundle); they must name exactly these.
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelListsAgree: SameNames<ChannelName, ListedChannelName> = true;
const eventListsAgree: SameNames<EventName, ListedEventName> = true;
void channelListsAgree;
void eventListsAgree;

export { isChannelName, isEventName, ipcChannels };


/**
 * What `window.consentry` is, whichever transport carries it: Electron IPC through the preload,
 * or a WebSocket in the browser bridge used for tests and demos.
 */
export interface ConsentryTransport {
  /** Resolves to an envelope; never rejects for a failure main reported. */
  invoke(channel: ChannelName, request: unknown): Promise<Envelope>;
  /** Calls `listener` for every main → renderer event; returns the unsubscribe function. */
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}
