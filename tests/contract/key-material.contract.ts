/**
 * The key-material contract (shared/domain/identity/key-ring.ts `KeyMaterialStore`): where the
 * identity area keeps its token-signing keys and data keys. Run against the Key Vault adapter on a
 * local fake of the secrets REST API (key-material-key-vault.test.ts) and against the local file
 * twin (key-material-files.test.ts). Every instance over the same storage, like every instance of
 * the app, must see the same material, or tokens one signs another cannot verify.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { generateKeyMaterial, type KeyMaterialStore, parseKeyMaterial, rotateSigningKey } from '../../shared/domain/identity/key-ring';

export interface KeyMaterialHarness {
  /** A new adapter over this harness's storage: another instance of the app, or its next start. */
  store(): KeyMaterialStore;
  /** Puts raw content where the adapter keeps the material, as an operator (or a fault) would. */
  seed(raw: string): Promise<void>;
  /** The raw content kept there now; undefined when there is none. */
  stored(): Promise<string | undefined>;
}

export function keyMaterialContract(adapterName: string, open: () => Promise<KeyMaterialHarness>): void {
  describe(`key material contract: ${adapterName}`, () => {
    let harness: KeyMaterialHarness;
    beforeEach(async () => {
      harness = await open();
    });

    it('generates the material on the first load, keeps it, and every later load, by any instance, returns it', async () => {
      const material = await harness.store().load();
      expect(material.signingKeys).toEqual([expect.objectContaining({ kid: expect.any(String), privateJwk: expect.objectContaining({ kty: 'EC', crv: 'P-256', d: expect.any(String) }) })]);
      expect(material.signingKeys[0]!.retiredAt).toBeUndefined();
      expect(Buffer.from(material.dataKeys[0]!.key, 'base64')).toHaveLength(32);
      expect(parseKeyMaterial((await harness.stored())!)).toEqual(material);
      expect(await harness.store().load()).toEqual(material);
    });

    it('returns what was saved to every instance (a key rotation)', async () => {
      const rotated = await rotateSigningKey(await harness.store().load());
      await harness.store().save(rotated);
      const loaded = await harness.store().load();
      expect(loaded).toEqual(rotated);
      expect(loaded.signingKeys).toHaveLength(2);
    });

    it('loads material an operator seeded, as it was seeded', async () => {
      const seeded = await generateKeyMaterial();
      await harness.seed(JSON.stringify(seeded));
      expect(await harness.store().load()).toEqual(seeded);
    });

    it.each([
      ['JSON that is not key material', '{"signingKeys":[]}'],
      ['text that is not JSON', 'BEGIN PRIVATE KEY'],
    ])('refuses %s, leaving it in place rather than replacing the keys', async (_label, raw) => {
      await harness.seed(raw);
      // The content was read and judged: a parse or schema error, not a storage failure.
      await expect(harness.store().load()).rejects.toSatisfy((error) => error instanceof SyntaxError || (error as Error).name === 'ZodError');
      expect(await harness.stored()).toBe(raw);
    });
  });
}
