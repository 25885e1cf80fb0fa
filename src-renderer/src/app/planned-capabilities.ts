import {
  IconReportAnalytics,
  IconUserMinus,
  type Icon,
} from '@tabler/icons-react';

/** A capability this build does not have yet, and what its page will show once it does. */
export interface PlannedCapability {
  title: string;
  description: string;
  icon: Icon;
  emptyTitle: string;
  summary: string;
  willShow: string[];
}

export const plannedOffboarding: PlannedCapability = {
  title: 'Offboarding',
  description:
    'Remove departed team members\' access everywhere, in the right order, with evidence.',
  icon: IconUserMinus,
  emptyTitle: 'No offboarding runs',
  summary: 'Bulk offboarding is not part of this build yet; no account has been changed.',
  willShow: [
    'Import of a CSV of departed people, validated row by row with clear errors',
    'A plan of ordered steps per person and provider, and a dry run',
    'Progress with pause and resume that survives a restart',
    'An evidence report of every step taken',
  ],
};

export const plannedReports: PlannedCapability = {
  title: 'Reports',
  description:
    'Security-checklist reports for auditors, built from live tenant data, with evidence and an action plan.',
  icon: IconReportAnalytics,
  emptyTitle: 'No reports yet',
  summary: 'Reports are built from scans of connected tenants and are not part of this build yet.',
  willShow: [
    'Controls evaluated as pass, fail, warning, not applicable or error, each with its evidence',
    'An action plan ordered by risk',
    'Export as PDF, HTML, CSV and JSON',
  ],
};
