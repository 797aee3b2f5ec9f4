import { startTestServer } from '../../support/test-server.js';
const s = await startTestServer({ demo: 'small' });
console.log('URL', s.url);
setInterval(() => {}, 1 << 30);
