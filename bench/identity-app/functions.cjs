// The project's auth endpoints plus one GET declared twice through the same kit: once public,
// once signed-in. The difference between the two is what authentication costs per request.
require('../../dist/functions/app.js');
require('../../dist/functions/auth.http.js');
const { defineEndpoint } = require('../../dist/shared/composition/index.js');
const { publicAccess, signedIn } = require('../../dist/shared/http/auth.js');

const catalogue = {
  items: [
    { id: 'haccp', name: 'HACCP plan review' },
    { id: 'fsma', name: 'FSMA preventive controls' },
  ],
};
const common = { method: 'GET', summary: 'Bench catalogue', tags: ['bench'], responses: { 200: { description: 'ok' } }, handler: () => ({ body: catalogue }) };

defineEndpoint({ ...common, name: 'benchPublic', route: 'bench/public', auth: publicAccess, rateLimit: 'read' });
defineEndpoint({ ...common, name: 'benchSignedIn', route: 'bench/signed-in', auth: signedIn, rateLimit: 'read' });
