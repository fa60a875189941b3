// The baseline: a bare node:http server answering the same bytes as the bench app's function.
const http = require('node:http');

const body = JSON.stringify({ ok: true, service: 'foodxchange' });
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
