import { type BlobSASPermissions, type BlobServiceClient, generateBlobSASQueryParameters, SASProtocol, StorageSharedKeyCredential, type UserDelegationKey } from '@azure/storage-blob';

/** Clocks differ: a SAS starts this long in the past so a client whose clock runs behind is not refused. */
export const CLOCK_SKEW_SECONDS = 5 * 60;
/** The longest SAS this app hands out. */
export const MAX_SAS_SECONDS = 15 * 60;
/**
 * The SAS version signed. Pinned rather than left to the SDK's default, so an SDK upgrade
 * cannot change the string-to-sign under us, and so the emulator can check user-delegation
 * signatures too: Azurite 3.35 verifies them up to 2025-07-05, while the SDK (12.32) would sign
 * 2026-04-06, whose string-to-sign adds fields Azurite does not know. It also fixes the service
 * version a browser's request through the SAS is served with. No feature this app uses is newer.
 */
export const SAS_VERSION = '2025-07-05';
/** How long one user delegation key is requested for; many SAS are signed with it. */
const DELEGATION_KEY_SECONDS = 60 * 60;

/** Azure-hosted blob endpoints (public and sovereign clouds, DNS-zone endpoints): never signed for plain HTTP. */
const AZURE_STORAGE_HOST = /\.(core\.windows\.net|core\.chinacloudapi\.cn|core\.usgovcloudapi\.net|core\.cloudapi\.de|storage\.azure\.net)$/i;

export type SasKind = 'user-delegation' | 'account-key';

export interface SasRequest {
  containerName: string;
  blobName: string;
  permissions: BlobSASPermissions;
  expiresInSeconds: number;
  /** Response header overrides (`rsct`, `rscd`): what a GET through the SAS answers with. */
  contentType?: string;
  contentDisposition?: string;
}

export interface SignedSas {
  /** The query string, without `?`. */
  query: string;
  startsOn: Date;
  expiresOn: Date;
}

export interface SasSignerOptions {
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * Signs blob SAS with whatever the service client holds: a token credential (managed identity
 * in Azure) signs user-delegation SAS with a cached delegation key; a shared key (Azurite, or a
 * key-based connection string) signs account-key service SAS.
 */
export class SasSigner {
  readonly kind: SasKind | undefined;
  private readonly now: () => number;
  private cachedKey: { key: UserDelegationKey; renewAt: number } | undefined;
  private pendingKey: Promise<UserDelegationKey> | undefined;
  private keyRequests = 0;

  constructor(
    private readonly service: BlobServiceClient,
    options: SasSignerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const credential = service.credential;
    if (credential instanceof StorageSharedKeyCredential) this.kind = 'account-key';
    else if (typeof (credential as { getToken?: unknown }).getToken === 'function') this.kind = 'user-delegation';
  }

  /** How many delegation keys this signer has requested (observability, tests). */
  get delegationKeyRequests(): number {
    return this.keyRequests;
  }

  /** HTTPS only, except against a local emulator that itself listens on plain HTTP. */
  protocol(): SASProtocol {
    const endpoint = new URL(this.service.url);
    if (endpoint.protocol === 'https:') return SASProtocol.Https;
    if (AZURE_STORAGE_HOST.test(endpoint.hostname)) {
      throw new Error(`Refusing to sign a SAS for ${endpoint.host} over plain HTTP: use the account's https:// endpoint.`);
    }
    return SASProtocol.HttpsAndHttp;
  }

  async sign(request: SasRequest): Promise<SignedSas> {
    const protocol = this.protocol();
    // Whole seconds: the service reads start and expiry to the second, and `expiresAt` must say what was signed.
    const now = Math.floor(this.now() / 1000) * 1000;
    const startsOn = new Date(now - CLOCK_SKEW_SECONDS * 1000);
    const expiresOn = new Date(now + request.expiresInSeconds * 1000);
    const values = {
      version: SAS_VERSION,
      containerName: request.containerName,
      blobName: request.blobName,
      permissions: request.permissions,
      startsOn,
      expiresOn,
      protocol,
      contentType: request.contentType,
      contentDisposition: request.contentDisposition,
    };
    const credential = this.service.credential;
    let query: string;
    if (credential instanceof StorageSharedKeyCredential) {
      query = generateBlobSASQueryParameters(values, credential).toString();
    } else if (this.kind === 'user-delegation') {
      if (!this.service.accountName) throw new Error(`Cannot sign a user-delegation SAS: no account name in ${this.service.url}.`);
      query = generateBlobSASQueryParameters(values, await this.delegationKey(), this.service.accountName).toString();
    } else {
      throw new Error('Cannot sign a SAS: the blob service client has neither a shared key nor a token credential.');
    }
    return { query, startsOn, expiresOn };
  }

  /**
   * One delegation key signs many SAS: it is requested for an hour and renewed while it still
   * outlives any SAS signed with it (the longest SAS plus the clock skew). Concurrent callers
   * share one request.
   */
  private async delegationKey(): Promise<UserDelegationKey> {
    const now = this.now();
    if (this.cachedKey && now < this.cachedKey.renewAt) return this.cachedKey.key;
    this.pendingKey ??= this.requestDelegationKey(now).finally(() => {
      this.pendingKey = undefined;
    });
    return this.pendingKey;
  }

  private async requestDelegationKey(now: number): Promise<UserDelegationKey> {
    // A minute before the skewed start of any SAS it will sign, so every SAS lies inside the key's validity.
    const startsOn = new Date(now - (CLOCK_SKEW_SECONDS + 60) * 1000);
    const expiresOn = new Date(now + DELEGATION_KEY_SECONDS * 1000);
    this.keyRequests += 1;
    let key: UserDelegationKey;
    try {
      key = await this.service.getUserDelegationKey(startsOn, expiresOn);
    } catch (error) {
      throw new Error(
        'Could not get a user delegation key to sign a SAS; the app identity needs a role with ' + '"generateUserDelegationKey" (Storage Blob Delegator or Storage Blob Data Contributor).',
        { cause: error },
      );
    }
    const renewAt = expiresOn.getTime() - (MAX_SAS_SECONDS + CLOCK_SKEW_SECONDS) * 1000;
    this.cachedKey = { key, renewAt };
    return key;
  }
}
