import { IconReportAnalytics, type Icon } from '@tabler/icons-react';

/** A capability this build does not have yet, and what its page will show once it does. */
export interface PlannedCapability {
  title: string;
  description: string;
  icon: Icon;
  emptyTitle: string;
  summary: string;
  willShow: string[];
}

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
