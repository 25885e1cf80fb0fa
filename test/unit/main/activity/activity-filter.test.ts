import { describe, expect, test } from 'vitest';
import { ActivityCounts } from '../../../../src-main/activity/activity-counts';
import { entryMatcher } from '../../../../src-main/activity/activity-filter';

function countsOf(actions: [string, 'succeeded' | 'failed'][]): ActivityCounts {
  const counts = new ActivityCounts();
  for (const [action, result] of actions) counts.add({ action, result });
  return counts;
}

describe('activity filter', () => {
  test('totals a filter on the start of the action from the counts per action', () => {
    const counts = countsOf([
      ['consent.deny', 'succeeded'],
      ['consent.grant', 'succeeded'],
      ['consent.grant', 'failed'],
      ['consentry.started', 'succeeded'],
      ['grant.revoke', 'succeeded'],
    ]);
    expect(entryMatcher({ actionPrefix: 'consent.' }).countIn(counts)).toBe(3);
    expect(entryMatcher({ actionPrefix: 'consent.', result: 'failed' }).countIn(counts)).toBe(1);
    expect(entryMatcher({ actionPrefix: 'consent.', action: 'consent.grant' }).countIn(counts)).toBe(2);
    expect(entryMatcher({ actionPrefix: 'consent.', action: 'grant.revoke' }).countIn(counts)).toBe(0);
    expect(entryMatcher({ actionPrefix: 'settings.' }).countIn(counts)).toBe(0);
    // Text and periods are not in the counts.
    expect(entryMatcher({ actionPrefix: 'consent.', text: 'notes' }).countIn(counts)).toBeUndefined();
  });

  test('leaves a prefix total to counting when the counts stopped listing actions', () => {
    // Past 5,000 distinct actions the counts only total the rest, so a missing action proves nothing.
    const counts = countsOf(Array.from({ length: 5_001 }, (_, index): [string, 'succeeded'] => [`bulk.${index}`, 'succeeded']));
    expect(entryMatcher({ actionPrefix: 'bulk.' }).countIn(counts)).toBeUndefined();
    expect(entryMatcher({ actionPrefix: 'consent.' }).countIn(counts)).toBeUndefined();
    expect(entryMatcher({}).countIn(counts)).toBe(5_001);
  });

  test('gives a prefix filter its own key, apart from the same text as an exact action', () => {
    expect(entryMatcher({ actionPrefix: 'consent.' }).key).not.toBe(entryMatcher({ action: 'consent.' }).key);
    expect(entryMatcher({ actionPrefix: 'consent.' }).empty).toBe(false);
    expect(entryMatcher({ actionPrefix: '' }).empty).toBe(true);
  });
});
