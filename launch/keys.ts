/** `npm run keys`: fresh production secrets as environment lines (gateway key pair and cursor secret). */
import { randomBytes } from 'node:crypto';
import { exportGatewayKeys, generateGatewayKeys } from '../kernel/gateway-token.js';

const { privateJwk, publicJwk } = await exportGatewayKeys(await generateGatewayKeys());
console.log(`# gateway only:`);
console.log(`GATEWAY_PRIVATE_KEY='${JSON.stringify(privateJwk)}'`);
console.log(`# every subgraph:`);
console.log(`GATEWAY_PUBLIC_KEY='${JSON.stringify(publicJwk)}'`);
console.log(`CURSOR_SECRET='${randomBytes(32).toString('base64')}'`);
