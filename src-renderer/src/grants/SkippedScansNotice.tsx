import { Alert, Code, Stack, Text } from '@mantine/core';
import { IconFileAlert } from '@tabler/icons-react';
import { memo } from 'react';
import type { SkippedScan } from '../../../src-shared/contract/grants';
import { KeptAsPath } from '../components/KeptAsPath';
import { formatInstant } from '../format/time';

/** Saved scans that could not be used: which, why, and where the file was kept; the page shows the newest good one. */
export const SkippedScansNotice = memo(function SkippedScansNotice({ skipped }: { skipped: SkippedScan[] }) {
  if (skipped.length === 0) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconFileAlert size={18} />} title={skipped.length === 1 ? 'A saved scan could not be used' : `${skipped.length} saved scans could not be used`} data-testid="skipped-scans">
      <Text size="sm" mb="xs">
        The page shows the newest scan that reads back whole. Nothing was deleted; scan again to bring the page up to date.
      </Text>
      <Stack gap="sm">
        {skipped.map((scan) => (
          <Stack gap={4} key={scan.file}>
            <Text size="sm">
              The scan {scan.takenAt ? `of ${formatInstant(scan.takenAt)} ` : ''}(<Code>{scan.file}</Code>) was skipped: {scan.problem}.
            </Text>
            <KeptAsPath file={scan.file} keptAs={scan.keptAs} />
          </Stack>
        ))}
      </Stack>
    </Alert>
  );
});
