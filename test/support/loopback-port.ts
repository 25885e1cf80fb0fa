import { connect } from 'node:net';

/** Whether nothing listens on this 127.0.0.1 port any more (a listener that was closed). */
export function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/**
 * A port for a connection whose provider registers a fixed redirect port. Below 32768, so it never
 * meets the ports the OS hands out for outgoing connections and port-0 servers (32768–60999 on
 * Linux, 49152 and up on macOS and Windows), which made such sign-ins fail now and then as "in use".
 */
export function fixedRedirectPortForTest(): number {
  return 20_000 + Math.floor(Math.random() * 12_000);
}
