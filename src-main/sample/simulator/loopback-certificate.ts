/**
 * A certificate for an https server on 127.0.0.1, generated at start: msal-node only talks to
 * https authorities, so the simulated Entra needs one. Valid for a day, for 127.0.0.1 and
 * localhost only; the caller decides who trusts it.
 */
import { generate } from 'selfsigned';

export interface LoopbackCertificate {
  key: string;
  cert: string;
}

export async function generateLoopbackCertificate(): Promise<LoopbackCertificate> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3_600_000),
    extensions: [
      // Its own trust anchor: the one certificate a client adds to its trusted list.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  } as never);
  return { key: pems.private, cert: pems.cert };
}
