import { useState, type ReactNode } from 'react';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { useConnectionList } from '../bridge/queries';
import { ReconnectDialog, type ReconnectIntent } from './ReconnectDialog';

export interface AllowCapability {
  /** The sign-in dialog is open: a dialog that offered it hides itself meanwhile (one modal at a time). */
  allowing: boolean;
  allow: (connectionId: string) => void;
  /** Render it where the hook is used. */
  dialog: ReactNode;
}

/**
 * Allowing a capability on a connection from the page that needs it, through the same sign-in as
 * anywhere else. `onDone` follows the sign-in, whether it was completed or given up: the page asks
 * main again, since main's answer says what is still missing.
 */
export function useAllowCapability(capability: CapabilityId, onDone?: (connectionId: string) => void): AllowCapability {
  const connections = useConnectionList();
  const [intent, setIntent] = useState<ReconnectIntent | null>(null);
  const allow = (connectionId: string) => {
    const connection = connections.data?.connections.find((candidate) => candidate.id === connectionId);
    if (connection) setIntent({ connection, capability });
  };
  const dialog = (
    <ReconnectDialog
      intent={intent}
      onClose={() => {
        setIntent(null);
        if (intent) onDone?.(intent.connection.id);
      }}
    />
  );
  return { allowing: intent !== null, allow, dialog };
}
