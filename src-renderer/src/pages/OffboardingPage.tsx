import { Badge, Tabs } from '@mantine/core';
import { IconHistory, IconUserMinus } from '@tabler/icons-react';
import { useState } from 'react';
import { useOffboardingRuns, useOffboardingUpdates } from '../bridge/offboarding-queries';
import { useConnectionList } from '../bridge/queries';
import { NoConnectionPrompt } from '../components/NoConnectionPrompt';
import { PageHeader } from '../components/PageHeader';
import { InterruptedRuns } from '../offboarding/InterruptedRuns';
import { OffboardingFlow } from '../offboarding/OffboardingFlow';
import { RunHistory } from '../offboarding/RunHistory';

/**
 * A run that is moving, paused or interrupted: the flow shows it when the page opens (after a
 * restart, an interrupted run is where the admin left off, not its plan's dry run).
 */
const followed = new Set(['running', 'pausing', 'paused', 'cancelling', 'interrupted']);

/**
 * Bulk offboarding: HR's list of departed people → each row checked → a plan of ordered provider
 * steps → a read-only dry run → the run (pause, resume, cancel; it survives a restart) → its
 * evidence; and every run so far. A run a stop interrupted is offered for resume at the top.
 */
export function OffboardingPage() {
  useOffboardingUpdates();
  const connections = useConnectionList();
  const runs = useOffboardingRuns();
  const [tab, setTab] = useState('flow');
  /** undefined: follow the run under way, if any; null: none (the admin starts another). */
  const [flowRun, setFlowRun] = useState<string | null | undefined>(undefined);
  const [openRun, setOpenRun] = useState<string | null>(null);
  const [pasted, setPasted] = useState('');
  const allRuns = runs.data?.runs ?? [];
  const underWay = allRuns.filter((run) => followed.has(run.job.state)).sort((a, b) => b.job.createdAt.localeCompare(a.job.createdAt))[0];
  // Once followed, the run stays in view when it ends, until the admin starts another.
  if (flowRun === undefined && underWay) setFlowRun(underWay.job.id);
  const flowRunId = flowRun ?? underWay?.job.id ?? null;
  const noConnection = connections.data?.connections.length === 0 && allRuns.length === 0;

  return (
    <>
      <PageHeader title="Offboarding" description="Remove departed people’s access everywhere, in the right order, with evidence." />
      {noConnection ? (
        <NoConnectionPrompt
          testId="offboarding-no-connection"
          description="Offboarding signs departed people out and removes their access at connected tenants. Connect Google Workspace, Microsoft 365, Okta or another provider on the Connections page, or open the sample workspace there to try it on simulated tenants."
        />
      ) : (
        <>
          <InterruptedRuns
            runs={allRuns}
            onResumed={(runId) => {
              setFlowRun(runId);
              setTab('flow');
            }}
            onReview={(runId) => {
              setOpenRun(runId);
              setTab('history');
            }}
          />
          <Tabs value={tab} onChange={(value) => setTab(value ?? 'flow')} keepMounted={false}>
            <Tabs.List mb="lg">
              <Tabs.Tab value="flow" leftSection={<IconUserMinus size={16} />}>
                Offboard
              </Tabs.Tab>
              <Tabs.Tab
                value="history"
                leftSection={<IconHistory size={16} />}
                rightSection={
                  allRuns.length > 0 ? (
                    <Badge size="sm" variant="light" color="gray">
                      {allRuns.length}
                    </Badge>
                  ) : undefined
                }
              >
                History
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="flow">
              {/* Another run shown: the flow starts again from what main holds. */}
              <OffboardingFlow key={flowRunId ?? 'none'} runId={flowRunId} onRunChange={setFlowRun} pasted={pasted} onPastedChange={setPasted} />
            </Tabs.Panel>
            <Tabs.Panel value="history">
              <RunHistory openRunId={openRun} onOpen={setOpenRun} />
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </>
  );
}
