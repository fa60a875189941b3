// The trivial JSON function the host benchmark measures, next to a bare node:http server.
const { app } = require('@azure/functions');

app.get('ping', { route: 'ping', handler: async () => ({ jsonBody: { ok: true, service: 'foodxchange' } }) });
