// @ts-check
// Azurite's own CLI (same arguments), made to exit when the host does, however the host ended:
// the IPC channel closes with it.
'use strict';
const path = require('node:path');

const src = path.dirname(require.resolve('azurite/dist/src/azurite.js'));

process.on('disconnect', () => process.exit(0));
// The channel alone must not keep Azurite running once it has closed its servers.
process.channel?.unref();
require(path.join(src, 'azurite.js'));
