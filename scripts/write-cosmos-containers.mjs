// Writes infra/cosmos-containers.json from the containers declared in code (run after a build).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { bicepContainers } = require('../dist/shared/adapters/document-store/cosmos/bicep-containers.js');
const file = new URL('../infra/cosmos-containers.json', import.meta.url);
const current = JSON.parse(readFileSync(file, 'utf8'));
writeFileSync(file, `${JSON.stringify({ $comment: current.$comment, containers: bicepContainers() }, null, 2)}\n`);
console.log(`wrote ${bicepContainers().length} containers to infra/cosmos-containers.json`);
