/** The entrypoint makes TLS connections (crypto/tls, x509 system roots) and the image has no CA bundle. */
import { envOf } from '../../image/resolve.js';
import { finding, type ImageRule } from './context.js';

/** Where Go's crypto/x509 looks on Linux (root_linux.go). */
export const CA_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
export const CA_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];

export const missingCaCertificates: ImageRule = {
  id: 'missing-ca-certificates',
  check(ctx) {
    const ev = ctx.entrypoint.binary?.evidence;
    if (!ev || ev.tls.length === 0 || ev.embeddedRoots) return [];
    const env = envOf(ctx.config);
    const extra = [env.get('SSL_CERT_FILE')].filter((p): p is string => !!p);
    if ([...CA_FILES, ...extra].some((p) => ctx.exists(p))) return [];
    const dirs = [...CA_DIRS, ...(env.get('SSL_CERT_DIR')?.split(':') ?? [])];
    if (dirs.some((d) => ctx.nonEmptyDir(d))) return [];
    return [
      finding(
        'missing-ca-certificates',
        `${ctx.entrypoint.resolved} makes TLS connections (${ev.tls[0]}) but the image has no CA bundle (${CA_FILES[0]}): HTTPS calls will fail with "x509: certificate signed by unknown authority"`,
        CA_FILES[0],
      ),
    ];
  },
};
