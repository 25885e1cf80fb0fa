import { useThrottledState } from '@mantine/hooks';
import { useCallback, useMemo } from 'react';
import { grantPageSize } from '../bridge/queries';

/** Rows fetched ahead of the ones in view, so a page is usually there before it scrolls in. */
const readAhead = 60;
/** A drag of the scrollbar across 100,000 rows asks for a page at most this often. */
const fetchThrottleMs = 150;

/**
 * Which server pages a virtualised table needs: those under the rows in view, with some read
 * ahead, updated at most every 150 ms while the admin scrolls.
 */
export function useVisiblePages() {
  const [span, setSpan] = useThrottledState('0-0', fetchThrottleMs);
  const onVisibleRangeChange = useCallback(
    (first: number, last: number) => {
      const from = Math.floor(Math.max(0, first - readAhead) / grantPageSize);
      const to = Math.floor((last + readAhead) / grantPageSize);
      // A string, so an unchanged span does not re-render.
      setSpan(`${from}-${to}`);
    },
    [setSpan],
  );
  const pages = useMemo(() => {
    const [from = 0, to = 0] = span.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
  }, [span]);
  return { pages, onVisibleRangeChange };
}
