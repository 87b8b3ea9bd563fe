// Docker's HEALTHCHECK (deploy/Dockerfile): GET /healthz on this container's own server; exit 0 if it
// answers 200 within 2 s. Plain JavaScript, no tsx and none of folkreg's modules, so a check costs a bare
// node start. It reads PORT, HOST and TLS_CERT_FILE as kernel/config.ts does (the image sets PORT and HOST).
import http from 'node:http';
import https from 'node:https';

const env = process.env;
const wildcard = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::';
// A subgraph with TLS speaks HTTPS only; its certificate names the service, not 127.0.0.1, so it is not verified here.
const client = env.TLS_CERT_FILE ? https : http;
const req = client.get(
  { host: wildcard ? '127.0.0.1' : env.HOST, port: Number(env.PORT || 4000), path: '/healthz', timeout: 2_000, rejectUnauthorized: false },
  (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  },
);
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
