import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileKeyStore } from '../../shared/adapters/key-material/files';
import { rotateSigningKey } from '../../shared/domain/identity/key-ring';
import { tempDir } from '../helpers/host-process';
import { keyMaterialContract } from './key-material.contract';

// The local key twin: one JSON file under the data dir.
const keyFile = () => path.join(tempDir('fx-keys-'), 'keys', 'identity-keys.json');

keyMaterialContract('local file', async () => {
  const file = keyFile();
  return {
    store: () => new FileKeyStore(file),
    seed: async (raw) => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, raw);
    },
    stored: () => readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error))),
  };
});

describe('local key file specifics', () => {
  it('keeps the file readable by its owner only, when generated and when saved, with no temporary file left', async () => {
    const file = keyFile();
    const store = new FileKeyStore(file);
    const material = await store.load();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await store.save(await rotateSigningKey(material));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(path.dirname(file))).toEqual(['identity-keys.json']);
  });

  it('gives two instances that load at once, with no file yet, the same material', async () => {
    const file = keyFile();
    const [first, second] = await Promise.all([new FileKeyStore(file).load(), new FileKeyStore(file).load()]);
    expect(second).toEqual(first);
    expect(await new FileKeyStore(file).load()).toEqual(first);
  });
});
