import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { CredentialsPage } from '../../../../src-renderer/src/pages/CredentialsPage';
import { ok } from '../connection-fixtures';
import { renderWithConsole } from '../render-with-console';
import { credentialsConsole, inventory } from './credential-fixtures';

const needsProjects = inventory({
  sources: [
    { connectionId: 'conn-acme', tenantLabel: 'Acme Workspace', provider: 'google', state: 'needs_projects', message: 'Google lists keys per Cloud project; none is named yet.', nextStep: 'Name the projects whose keys to list.', missingScopes: [], count: 0, readAt: null },
    { connectionId: 'conn-contoso', tenantLabel: 'Contoso', provider: 'microsoft', state: 'missing_scopes', message: 'Reading app secrets needs Application.Read.All.', nextStep: null, missingScopes: ['Application.Read.All'], count: 0, readAt: null },
  ],
});

describe('tenants whose credentials were not all read', { timeout: 30_000 }, () => {
  test('say why; a Google tenant takes its project ids, checked as main checks them, then is read again', async () => {
    const { requestsTo } = renderWithConsole(
      <CredentialsPage />,
      credentialsConsole({
        'credentials.inventory': () => ok(needsProjects),
        'credentials.setCloudProjects': (request) => ok([request]),
        'credentials.read': () => ok(inventory()),
      }),
    );
    const alerts = await screen.findAllByTestId('credential-source-alert');
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toHaveTextContent('Contoso needs the credentials capability');
    expect(within(alerts[1]!).getByRole('button', { name: 'Allow rotating keys and secrets for Contoso' })).toBeInTheDocument();

    const form = within(alerts[0]!).getByTestId('cloud-projects-form');
    const projects = within(form).getByLabelText(/Cloud projects of Acme Workspace/, { selector: 'input' });
    await userEvent.type(projects, 'Bad_Project{Enter}');
    expect(await within(form).findByText(/A project id is 6–30 lower-case letters/)).toBeInTheDocument();
    expect(within(form).getByRole('button', { name: 'Save and read the keys' })).toBeDisabled();

    // Backspace in the empty box removes the last project named.
    await userEvent.type(projects, '{Backspace}payroll-prod-4821{Enter}');
    await userEvent.click(within(form).getByRole('button', { name: 'Save and read the keys' }));
    await waitFor(() => expect(requestsTo('credentials.setCloudProjects')).toEqual([{ connectionId: 'conn-acme', projects: ['payroll-prod-4821'] }]));
    await waitFor(() => expect(requestsTo('credentials.read')).toEqual([{ connectionIds: ['conn-acme'] }]));
  });
});
