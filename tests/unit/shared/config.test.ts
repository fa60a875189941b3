import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../shared/config';

describe('app settings', () => {
  it('runs on the embedded defaults with no settings at all', () => {
    const config = loadConfig({});
    expect(config.store).toEqual({ kind: 'sqlite', path: expect.stringMatching(/\.data[/\\]store\.sqlite$/) });
    expect(config.http.maxBodyBytes).toBe(1024 * 1024);
    expect(config.blobDataContainer).toBe('app-data');
  });

  it('uses Cosmos DB with the managed identity when COSMOS_ENDPOINT is set', () => {
    const config = loadConfig({ COSMOS_ENDPOINT: 'https://fx.documents.azure.com:443/', AZURE_CLIENT_ID: '8f4a1c2e-1b2d-4c3e-9f00-123456789abc' });
    expect(config.store).toEqual({ kind: 'cosmos', endpoint: 'https://fx.documents.azure.com:443/', database: 'marketplace', key: undefined });
    expect(config.azureIdentity).toEqual({ clientId: '8f4a1c2e-1b2d-4c3e-9f00-123456789abc' });
  });

  it('refuses to run in Azure without Cosmos DB, and names every bad setting at once', () => {
    expect(() => loadConfig({ APP_ENV: 'azure', BLOB_DATA_CONTAINER: 'Bad_Name' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_MAX_BODY_BYTES: 'lots', BLOB_DATA_CONTAINER: 'Bad_Name' })).toThrow(/HTTP_MAX_BODY_BYTES.*BLOB_DATA_CONTAINER|BLOB_DATA_CONTAINER.*HTTP_MAX_BODY_BYTES/);
    expect(() => loadConfig({ APP_ENV: 'azure' })).toThrow(/COSMOS_ENDPOINT: is required when APP_ENV is azure/);
  });

  it('reads documents with Document Intelligence only when its endpoint is set, and refuses a malformed one', () => {
    expect(loadConfig({}).documentIntelligence).toBeUndefined();
    expect(loadConfig({ DOCUMENT_INTELLIGENCE_ENDPOINT: 'https://fx-docs.cognitiveservices.azure.com/' }).documentIntelligence).toEqual({
      endpoint: 'https://fx-docs.cognitiveservices.azure.com/',
    });
    expect(() => loadConfig({ DOCUMENT_INTELLIGENCE_ENDPOINT: 'fx-docs' })).toThrow(/DOCUMENT_INTELLIGENCE_ENDPOINT/);
  });
});

describe('identity settings', () => {
  it('has safe defaults: 15-minute tokens, keys under the data dir, OWASP Argon2id cost, five rate-limit tiers', () => {
    const { identity } = loadConfig({ LOCAL_HOST_DATA_DIR: '/srv/data' });
    expect(identity.accessTokenTtlSeconds).toBe(900);
    expect(identity.keys).toEqual({ kind: 'file', path: '/srv/data/identity-keys.json' });
    expect(identity.mail.outboxDir).toBe('/srv/data/outbox');
    expect(identity.argon2).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(Object.keys(identity.rateLimits).sort()).toEqual(['credentials', 'expensive', 'publicRead', 'read', 'write']);
    expect(loadConfig({ RATE_LIMIT_WRITE: '5/10' }).identity.rateLimits.write).toEqual({ limit: 5, windowSeconds: 10 });
  });

  it('needs Key Vault in Azure, the admin email and password together, and well-formed limits', () => {
    expect(() => loadConfig({ APP_ENV: 'azure', COSMOS_ENDPOINT: 'https://fx.documents.azure.com:443/' })).toThrow(/KEY_VAULT_URI: is required/);
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@example.com' })).toThrow(/ADMIN_PASSWORD: ADMIN_EMAIL and ADMIN_PASSWORD go together/);
    expect(() => loadConfig({ RATE_LIMIT_CREDENTIALS: 'ten' })).toThrow(/RATE_LIMIT_CREDENTIALS: must be N\/S/);
    expect(() => loadConfig({ LOGIN_SLOWDOWN_AFTER: '5', LOGIN_LOCK_AFTER: '5' })).toThrow(/LOGIN_LOCK_AFTER: must be greater/);
  });
});
