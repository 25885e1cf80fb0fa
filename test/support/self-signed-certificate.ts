/**
 * The simulator's loopback certificate, trusted by this test process only. Node 22.19+ can extend
 * the default CA list at run time, which reaches https, tls and fetch alike (NODE_EXTRA_CA_CERTS
 * would need a new process).
 */
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { generateLoopbackCertificate, type LoopbackCertificate } from '../../src-main/sample/simulator/loopback-certificate';

export type TestCertificate = LoopbackCertificate;

export async function trustedTestCertificate(): Promise<TestCertificate> {
  const certificate = await generateLoopbackCertificate();
  setDefaultCACertificates([...getCACertificates('default'), certificate.cert]);
  return certificate;
}
