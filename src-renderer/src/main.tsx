import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/skip-link.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router';
import { createConsentryClient } from '../../src-preload/client';
import { defaultSettings } from '../../src-shared/contract/settings';
import { ConsoleFrame } from './app/ConsoleFrame';
import { consoleTheme, settingsColorSchemeManager, toColorScheme } from './app/theme';
import { ConsentryBridgeProvider } from './bridge/consentry-bridge';
import { queryKeys } from './bridge/queries';
import { BridgeMissing } from './components/BridgeMissing';

// Vite stamps the per-load CSP nonce onto this meta tag; Mantine's run-time <style> tags need it.
const styleNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
// Mantine's modals lock page scroll with react-remove-scroll, whose <style> tag takes its nonce from
// this global (get-nonce); without it the CSP refuses that tag.
(globalThis as { __webpack_nonce__?: string }).__webpack_nonce__ = styleNonce;
const root = createRoot(document.getElementById('root')!);

async function start() {
  const transport = window.consentry;
  if (!transport) {
    root.render(
      <MantineProvider theme={consoleTheme} getStyleNonce={() => styleNonce}>
        <BridgeMissing />
      </MantineProvider>,
    );
    return;
  }
  const client = createConsentryClient(transport);
  // Read settings before the first paint so the window opens in the admin's theme.
  const settings = await client.call('settings.get', {}).catch(() => defaultSettings);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });
  queryClient.setQueryData(queryKeys.settings, settings);

  root.render(
    <StrictMode>
      <MantineProvider
        theme={consoleTheme}
        getStyleNonce={() => styleNonce}
        colorSchemeManager={settingsColorSchemeManager(client, settings.theme)}
        defaultColorScheme={toColorScheme(settings.theme)}
      >
        <Notifications position="bottom-right" />
        <ConsentryBridgeProvider client={client} queryClient={queryClient}>
          <HashRouter>
            <ConsoleFrame />
          </HashRouter>
        </ConsentryBridgeProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

void start();
