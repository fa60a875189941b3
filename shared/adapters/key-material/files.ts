import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateKeyMaterial, parseKeyMaterial, type KeyMaterial, type KeyMaterialStore } from '../../domain/identity/key-ring';

/** Local key material: a JSON file readable by the owner only, generated once. */
export class FileKeyStore implements KeyMaterialStore {
  constructor(private readonly file: string) {}

  async load(): Promise<KeyMaterial> {
    try {
      return parseKeyMaterial(await readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const material = await generateKeyMaterial();
    await mkdir(path.dirname(this.file), { recursive: true });
    try {
      // `wx`: if another process created it meanwhile, keep theirs.
      await writeFile(this.file, JSON.stringify(material, null, 2), { mode: 0o600, flag: 'wx' });
      return material;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return parseKeyMaterial(await readFile(this.file, 'utf8'));
    }
  }

  async save(material: KeyMaterial): Promise<void> {
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(material, null, 2), { mode: 0o600 });
    await rename(temporary, this.file);
  }
}
