import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { IconCircleCheck, IconInfoCircle, IconThumbDown } from '@tabler/icons-react';
import { useState } from 'react';
import type { ConsentRequest } from '../../../src-shared/contract/consent';
import { useDenyConsentRequest } from '../bridge/consent-queries';
import { FailureAlert } from '../components/FailureAlert';
import { plural } from '../grants/grant-format';

/** Denies a pending request with the reason the requesters and the log will read. */
export function DenyDialog({ request, onClose }: { request: ConsentRequest; onClose: () => void }) {
  const deny = useDenyConsentRequest();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const missingReason = reason.trim() === '';
  const result = deny.data;
  const send = () => {
    setTried(true);
    if (!missingReason) deny.mutate({ connectionId: request.connectionId, requestId: request.id, reason: reason.trim() });
  };

  // Once denied, the title says what happened rather than still asking.
  const title = !result ? `Deny ${request.appName}?` : result.atProvider === 'recorded' ? `${request.appName} denied` : `${request.appName} denied in Consentry`;

  return (
    <Modal opened onClose={onClose} title={title} size="lg" closeOnClickOutside={!deny.isPending} closeButtonProps={{ 'aria-label': 'Close' }}>
      {result ? (
        <Stack gap="md">
          <Alert
            color={result.atProvider === 'recorded' ? 'teal' : 'yellow'}
            variant="light"
            icon={result.atProvider === 'recorded' ? <IconCircleCheck size={18} /> : <IconInfoCircle size={18} />}
            title={result.atProvider === 'recorded' ? 'Denied, and recorded by Microsoft' : 'Recorded by Consentry only'}
            role="status"
            data-testid="deny-result"
          >
            {result.message}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm">
            {plural(request.requests.length, 'person', 'people')} asked for {request.appName} at {request.connectionLabel}. Denying grants nothing; the
            reason is kept in the activity log and, where Microsoft records the decision, shown to the requesters.
          </Text>
          <Textarea
            label="Reason"
            description="Required: for the requesters and the log."
            placeholder="e.g. Reads every user's mail; use the approved mail client instead."
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={3}
            error={tried && missingReason ? 'Say why, for the requester and the log.' : undefined}
            data-autofocus
          />
          {deny.error && <FailureAlert title="The request was not denied" error={deny.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="red" leftSection={<IconThumbDown size={16} />} onClick={send} loading={deny.isPending} disabled={missingReason}>
              Deny the request
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
