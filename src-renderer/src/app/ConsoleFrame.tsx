import { ActionIcon, AppShell, Badge, Burger, Group, Kbd, NavLink, Text, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { IconMoon, IconShieldCheck, IconSun } from '@tabler/icons-react';
import { Navigate, NavLink as RouterLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useAppDescription } from '../bridge/queries';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { ConnectionAlertNotifier } from '../connections/ConnectionAlertNotifier';
import { CredentialAlertNotifier } from '../credentials/CredentialAlertNotifier';
import { GrantAlertNotifier } from '../grants/GrantAlertNotifier';
import { consolePages } from './console-pages';
import { ProfileProblemsNotice } from './ProfileProblemsNotice';

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to ${next} theme`}>
      <ActionIcon variant="default" size="lg" aria-label={`Switch to ${next} theme`} onClick={() => setColorScheme(next)}>
        {computed === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}

export function ConsoleFrame() {
  const [navbarOpen, { toggle: toggleNavbar, close: closeNavbar }] = useDisclosure(false);
  const location = useLocation();
  const navigate = useNavigate();
  const app = useAppDescription();

  useHotkeys(consolePages.map((page, index) => [`mod+${index + 1}`, () => void navigate(page.path)]));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navbarOpen } }} padding="lg">
      <ConnectionAlertNotifier />
      <GrantAlertNotifier />
      <CredentialAlertNotifier />
      <a className="skip-link" href="#main-content">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Burger opened={navbarOpen} onClick={toggleNavbar} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <IconShieldCheck size={26} color="var(--mantine-color-indigo-6)" aria-hidden />
            <Text fw={700} size="lg">
              Consentry
            </Text>
            {app.data && (
              <Badge variant="light" color="gray" size="sm" tt="none">
                v{app.data.version}
              </Badge>
            )}
          </Group>
          <ColorSchemeToggle />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main navigation">
        {consolePages.map((page, index) => (
          <NavLink
            key={page.path}
            component={RouterLink}
            to={page.path}
            end={page.path === '/'}
            label={page.label}
            leftSection={<page.icon size={18} stroke={1.6} />}
            rightSection={
              index < 9 ? (
                <Kbd size="xs" c="dimmed">
                  {isMac ? '⌘' : 'Ctrl'} {index + 1}
                </Kbd>
              ) : null
            }
            active={page.path === '/' ? location.pathname === '/' : location.pathname.startsWith(page.path)}
            onClick={closeNavbar}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main-content">
        <ProfileProblemsNotice />
        <ErrorBoundary resetKey={location.pathname}>
          <Routes>
            {consolePages.map(({ path, Page }) => (
              <Route key={path} path={path} element={<Page />} />
            ))}
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
