import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { JobSummarySchema } from '../../../../src-shared/contract/jobs';
import { RevokeCredentialsDialog } from '../../../../src-renderer/src/credentials/RevokeCredentialsDialog';
import { ok } from '../connection-fixtures';
import { renderWithConsole } from '../render-with-console';
import { credentialsConsole, expiredSecret, readAt, revokePlan, revokeReport, unrestrictedKey } from './credential-fixtures';

const runningJob = JobSummarySchema.parse({ ...revokeReport().job, state: 'running', succeeded: 0 });

describe('revoke now', { timeout: 30_000 }, () => {
  test('names what breaks, revokes only once the confirmation is typed, then shows the result per credential', async () => {
    let finished = false;
    const { requestsTo, emit } = renderWithConsole(
      <RevokeCredentialsDialog credentials={[unrestrictedKey, expiredSecret]} onClose={() => undefined} />,
      credentialsConsole({
        'credentials.planRevoke': () => ok(revokePlan({ refused: [{ key: expiredSecret.key, label: 'Old HR connector', reason: 'Already expired: nothing to revoke.' }] })),
        'credentials.revoke': () => ok(runningJob),
        'credentials.revokeReport': () =>
          ok(finished ? revokeReport() : revokeReport({ job: runningJob, items: [{ key: unrestrictedKey.key, label: 'Maps browser key', status: 'running', message: null, verified: false }] })),
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Revoke 1 credential now?' });
    const items = await within(dialog).findByTestId('revoke-plan-items');
    expect(items).toHaveTextContent('Every page and app calling Maps with this key.');
    // The full id, for the admin to check before confirming.
    expect(within(items).getByText(unrestrictedKey.credentialId)).toBeInTheDocument();
    expect(within(dialog).getByTestId('revoke-refused')).toHaveTextContent('Old HR connector: Already expired: nothing to revoke.');

    const revoke = within(dialog).getByRole('button', { name: 'Revoke 1 credential' });
    expect(revoke).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /To confirm, type/ }), 'Maps browser');
    expect(revoke).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /To confirm, type/ }), ' key');
    expect(revoke).toBeEnabled();
    await userEvent.click(revoke);
    await waitFor(() => expect(requestsTo('credentials.revoke')).toEqual([{ planId: 'revoke-plan-1', typed: 'Maps browser key' }]));

    const results = await screen.findByTestId('revoke-results');
    expect(await within(results).findByText('Revoking')).toBeInTheDocument();
    finished = true;
    emit('jobs.progress', { ...revokeReport().job, updatedAt: readAt });
    expect(await within(results).findByText('Revoked')).toBeInTheDocument();
    expect(results).toHaveTextContent('1 credential revoked, 0 failed.');
  });
});
