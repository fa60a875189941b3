/**
 * A stand-in for the WHATWG `Request` that the genuine `HttpRequest` wraps. Building a real
 * `Request` for every call (undici parses the URL and copies headers and body) costs about half
 * a bare server's throughput, so this facade answers the common reads directly from the
 * already-buffered Node request and builds the real `Request` only for what needs one
 * (`body` stream, `formData`, `blob`, `clone`).
 */
export class LazyNativeRequest {
  private native: Request | undefined;
  private cachedHeaders: Headers | undefined;
  private consumed = false;

  constructor(
    readonly url: string,
    readonly method: string,
    private readonly rawHeaders: string[],
    private readonly bodyBytes: Buffer | undefined,
  ) {}

  get headers(): Headers {
    if (this.native) return this.native.headers;
    if (!this.cachedHeaders) {
      const headers = new Headers();
      for (let i = 0; i < this.rawHeaders.length; i += 2) {
        const name = this.rawHeaders[i]!;
        // Pseudo and hop-by-hop details are the server's business, not the app's.
        if (name.charCodeAt(0) !== 58 /* ':' */) headers.append(name, this.rawHeaders[i + 1]!);
      }
      this.cachedHeaders = headers;
    }
    return this.cachedHeaders;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.toNative().body;
  }

  get bodyUsed(): boolean {
    return this.native ? this.native.bodyUsed : this.consumed;
  }

  async text(): Promise<string> {
    if (this.native) return this.native.text();
    return this.take().toString('utf8');
  }

  async json(): Promise<unknown> {
    if (this.native) return this.native.json();
    return JSON.parse(this.take().toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.native) return this.native.arrayBuffer();
    const bytes = this.take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async blob(): Promise<Blob> {
    return this.toNative().blob();
  }

  async formData(): Promise<FormData> {
    return this.toNative().formData();
  }

  clone(): Request {
    return this.toNative().clone();
  }

  /** Reads the body once, failing like a used WHATWG body does. */
  private take(): Buffer {
    if (this.consumed) throw new TypeError('Body is unusable: Body has already been read');
    this.consumed = true;
    return this.bodyBytes ?? Buffer.alloc(0);
  }

  private toNative(): Request {
    if (!this.native) {
      if (this.consumed) throw new TypeError('Body is unusable: Body has already been read');
      const hasBody = this.method !== 'GET' && this.method !== 'HEAD' && this.bodyBytes !== undefined;
      this.native = new Request(this.url, {
        method: this.method,
        headers: this.headers,
        body: hasBody ? new Uint8Array(this.bodyBytes!) : undefined,
      });
    }
    return this.native;
  }
}
