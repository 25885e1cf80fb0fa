import type { SettingsService } from '../settings/settings-service';
import type { ChannelHandlers } from './router';

export function settingsApi(settings: SettingsService): Pick<ChannelHandlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
  };
}
