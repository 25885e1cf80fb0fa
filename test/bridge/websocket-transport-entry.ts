import { installWebSocketTransport } from './websocket-transport';

installWebSocketTransport();
