import type { OffboardingService } from '../offboarding/offboarding-service';
import type { ChannelHandlers } from './router';

type OffboardingChannels = Extract<keyof ChannelHandlers, `offboarding.${string}`>;

export function offboardingApi(offboarding: OffboardingService): Pick<ChannelHandlers, OffboardingChannels> {
  return {
    'offboarding.list': () => offboarding.list(),
    'offboarding.importList': (request) => offboarding.importList(request),
    'offboarding.editRow': (request) => offboarding.editRow(request),
    'offboarding.dropRows': (request) => offboarding.dropRows(request),
    'offboarding.clearList': () => offboarding.clearList(),
    'offboarding.checkList': () => offboarding.checkList(),
    'offboarding.plan': (request) => offboarding.plan(request),
    'offboarding.currentPlan': () => offboarding.currentPlan(),
    'offboarding.dryRun': (request) => offboarding.dryRun(request),
    'offboarding.cancelDryRun': (request) => offboarding.cancelDryRun(request),
    'offboarding.start': (request) => offboarding.startRun(request),
    'offboarding.runs': () => offboarding.runs(),
    'offboarding.run': ({ runId }) => offboarding.run(runId),
    'offboarding.confirmManualStep': (request) => offboarding.confirmManualStep(request),
    'offboarding.exportEvidence': (request) => offboarding.exportEvidence(request),
  };
}
