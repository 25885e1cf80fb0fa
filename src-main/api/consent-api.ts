import type { ConsentService } from '../consent/consent-service';
import type { ChannelHandlers } from './router';

type ConsentChannels = Extract<keyof ChannelHandlers, `consent.${string}`>;

export function consentApi(consent: ConsentService): Pick<ChannelHandlers, ConsentChannels> {
  return {
    'consent.policies': ({ connectionIds }) => consent.policies(connectionIds),
    'consent.planPolicyChange': (request) => consent.planPolicyChange(request),
    'consent.changePolicy': (request) => consent.changePolicy(request),
    'consent.requests': () => consent.requests(),
    'consent.deny': (request) => consent.deny(request),
    'consent.review': (request) => consent.review(request),
    'consent.planGrant': (request) => consent.planGrant(request),
    'consent.grant': (request) => consent.grant(request),
    'consent.grantResult': ({ jobId }) => consent.grantResult(jobId),
    'consent.openConsentPrompt': ({ planId }) => consent.openConsentPrompt(planId),
    'consent.readBack': ({ planId }) => consent.readBack(planId),
    'consent.planBlock': (request) => consent.planBlock(request),
    'consent.block': (request) => consent.block(request),
    'consent.googleDecisions': () => consent.googleDecisions(),
    'consent.decideGoogleApp': (request) => consent.decideGoogleApp(request),
    'consent.exportGoogleList': ({ decision }) => consent.exportGoogleList(decision),
  };
}
