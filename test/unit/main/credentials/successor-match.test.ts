import { describe, expect, test } from 'vitest';
import { matchSuccessor } from '../../../../src-main/credentials/successor-match';

const intent = { displayName: 'Deploy bot (rotated 2026-12-04 by Consentry r:1a2b3c4d)', sentAt: '2026-12-04T10:00:00Z', existingIds: ['old', 'other'] };
const token = (id: string, name: string | null, createdAt: string | null) => ({ id, name, createdAt });

describe('finding the successor an admin made by hand', () => {
  test('takes the new credential with the planned name, even beside another new one', () => {
    const planned = token('n1', intent.displayName, '2026-12-04T10:03:00Z');
    expect(matchSuccessor([token('old', 'Deploy bot', '2026-01-01T00:00:00Z'), token('n2', 'Something else', '2026-12-04T10:02:00Z'), planned], intent, 'API token')).toBe(planned);
  });

  test('takes the only credential made since the rotation began when the admin named it otherwise', () => {
    const renamed = token('n1', 'deploy-bot-2', '2026-12-04T10:01:00Z');
    expect(matchSuccessor([token('old', 'Deploy bot', '2026-01-01T00:00:00Z'), token('stale', 'Made last week', '2026-11-27T09:00:00Z'), renamed], intent, 'API token')).toBe(renamed);
  });

  test('counts one made a few minutes before the rotation’s clock said it began (clock skew), not one made hours before', () => {
    expect(matchSuccessor([token('n1', 'x', '2026-12-04T09:56:00Z')], intent, 'API token')?.id).toBe('n1');
    expect(matchSuccessor([token('n1', 'x', '2026-12-04T08:00:00Z')], intent, 'API token')).toBeNull();
  });

  test('never takes a credential that existed before, even with the planned name', () => {
    expect(matchSuccessor([token('other', intent.displayName, '2026-12-04T10:05:00Z')], intent, 'API token')).toBeNull();
  });

  test('refuses to guess between two new credentials and says how to settle it', () => {
    expect(() => matchSuccessor([token('n1', 'a', '2026-12-04T10:01:00Z'), token('n2', 'b', '2026-12-04T10:02:00Z')], intent, 'API token')).toThrow(
      expect.objectContaining({ code: 'rotation_step_refused', message: expect.stringContaining('2 new API tokens'), nextStep: expect.stringContaining(intent.displayName) }),
    );
  });
});
