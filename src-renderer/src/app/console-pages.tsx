import { IconCertificate, IconHistory, IconKey, IconLayoutDashboard, IconPlugConnected, IconSettings, IconShieldLock, IconUserMinus, type Icon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { ActivityPage } from '../pages/ActivityPage';
import { ConsentPage } from '../pages/ConsentPage';
import { ConnectionsPage } from '../pages/ConnectionsPage';
import { CredentialsPage } from '../pages/CredentialsPage';
import { GrantsPage } from '../pages/GrantsPage';
import { OffboardingPage } from '../pages/OffboardingPage';
import { PlannedCapabilityPage } from '../components/PlannedCapability';
import { OverviewPage } from '../pages/OverviewPage';
import { SettingsPage } from '../pages/SettingsPage';
import { plannedReports, type PlannedCapability } from './planned-capabilities';

function planned(capability: PlannedCapability): ComponentType {
  return function PlannedPage() {
    return <PlannedCapabilityPage capability={capability} />;
  };
}

export interface ConsolePage {
  path: string;
  label: string;
  icon: Icon;
  Page: ComponentType;
}

/** The navigation, in order; Ctrl/⌘ + its position (1–9) opens a page. */
export const consolePages: ConsolePage[] = [
  { path: '/', label: 'Overview', icon: IconLayoutDashboard, Page: OverviewPage },
  { path: '/connections', label: 'Connections', icon: IconPlugConnected, Page: ConnectionsPage },
  { path: '/grants', label: 'Grants', icon: IconShieldLock, Page: GrantsPage },
  { path: '/consent', label: 'Consent', icon: IconCertificate, Page: ConsentPage },
  { path: '/credentials', label: 'Credentials', icon: IconKey, Page: CredentialsPage },
  { path: '/offboarding', label: 'Offboarding', icon: IconUserMinus, Page: OffboardingPage },
  { path: '/reports', label: 'Reports', icon: plannedReports.icon, Page: planned(plannedReports) },
  { path: '/activity', label: 'Activity', icon: IconHistory, Page: ActivityPage },
  { path: '/settings', label: 'Settings', icon: IconSettings, Page: SettingsPage },
];
