import { describe, expect, test, vi } from 'vitest';
import { applicationMenuTemplate } from '../../../../src-main/shell/application-menu';

vi.mock('electron', async () => (await import('../../../support/fake-electron')).fakeElectronModule());

function roles(template: ReturnType<typeof applicationMenuTemplate>): string[] {
  return template.flatMap((item) => [item.role ?? item.label ?? '', ...(Array.isArray(item.submenu) ? item.submenu.map((sub) => sub.role ?? '') : [])]);
}

describe('application menu', () => {
  test('has the standard menus, with the app menu on macOS only', () => {
    expect(roles(applicationMenuTemplate('darwin', false))).toEqual(expect.arrayContaining(['appMenu', 'fileMenu', 'editMenu', 'windowMenu']));
    expect(roles(applicationMenuTemplate('win32', false))).not.toContain('appMenu');
  });

  test('offers the developer tools only in an unpackaged build', () => {
    expect(roles(applicationMenuTemplate('win32', false))).not.toContain('toggleDevTools');
    expect(roles(applicationMenuTemplate('win32', true))).toContain('toggleDevTools');
  });
});
