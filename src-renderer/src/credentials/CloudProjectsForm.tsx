import { Button, Group, Stack, TagsInput, Text } from '@mantine/core';
import { useState } from 'react';
import { credentialsChannels } from '../../../src-shared/contract/credentials';
import { useCloudProjects, useSetCloudProjects } from '../bridge/credentials-queries';
import { FailureAlert } from '../components/FailureAlert';

const projectsRequest = credentialsChannels['credentials.setCloudProjects'].request;

/** The rule main applies to project ids, checked here first so the admin sees it before saving. */
function checkProjects(connectionId: string, projects: string[]): string | null {
  const outcome = projectsRequest.safeParse({ connectionId, projects });
  return outcome.success ? null : (outcome.error.issues[0]?.message ?? 'These project ids are not valid.');
}

/**
 * Google keeps service-account keys and API keys per Cloud project, and Consentry lists only the
 * projects the admin names: this names them, then reads that connection again.
 */
export function CloudProjectsForm({ connectionId, tenantLabel }: { connectionId: string; tenantLabel: string }) {
  const known = useCloudProjects();
  const save = useSetCloudProjects();
  const [draft, setDraft] = useState<string[] | null>(null);
  const projects = draft ?? known.data?.find((entry) => entry.connectionId === connectionId)?.projects ?? [];
  const problem = draft ? checkProjects(connectionId, draft) : null;
  return (
    <Stack gap="xs" data-testid="cloud-projects-form">
      <TagsInput
        label={`Cloud projects of ${tenantLabel}`}
        description="Project ids (or numbers) whose service-account keys and API keys Consentry lists. Press Enter after each."
        placeholder="e.g. payroll-prod-4821"
        value={projects}
        onChange={setDraft}
        error={problem}
        splitChars={[',', ' ']}
        clearable
        maw={560}
      />
      {save.error && <FailureAlert title="The projects were not saved" error={save.error} />}
      {save.isSuccess && !draft && (
        <Text size="sm" c="teal.8" role="status">
          Saved; reading the keys of these projects.
        </Text>
      )}
      <Group gap="sm">
        <Button
          size="xs"
          loading={save.isPending}
          disabled={!draft || problem !== null}
          onClick={() => draft && save.mutate({ connectionId, projects: draft.map((project) => project.trim()) }, { onSuccess: () => setDraft(null) })}
        >
          Save and read the keys
        </Button>
      </Group>
    </Stack>
  );
}
