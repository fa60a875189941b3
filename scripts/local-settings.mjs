// `npm start` without a local.settings.json: start from the example (as a Core Tools user copies
// it), so the local Web PubSub service has its event handler and presence works out of the box.
import { copyFileSync, existsSync } from 'node:fs';

const target = new URL('../local.settings.json', import.meta.url);
if (!existsSync(target)) {
  copyFileSync(new URL('../local.settings.example.json', import.meta.url), target);
  console.log('local.settings.json created from local.settings.example.json');
}
