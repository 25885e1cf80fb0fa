/**
 * A certificate for an https authorization server on 127.0.0.1, trusted by this test process only.
 * msal-node talks to https authorities only; Node 22.19+ can extend the default CA list at run time,
 * which reaches https, tls and fetch alike (NODE_EXTRA_CA_CERTS would need a new process).
 */
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { generate } from 'selfsigned';

export interface TestCertificate {
  key: string;
  cert: string;
}

export async function trustedTestCertificate(): Promise<TestCertificate> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3_600_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  } as never);
  setDefaultCACertificates([...getCACertificates('default'), pems.cert]);
  return { key: pems.private, cert: pems.cert };
}
