import { decodePath } from './decode';

/** A request path split once into segments; decoding is lazy and cached for all routes. */
export class PathContext {
  readonly path: string;
  /** Offsets of each segment's first character and one past its last. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  private readonly decoded: (string | undefined)[][] = [[], []];
  private readonly lowered: (string | undefined)[][] = [[], []];

  constructor(rawPath: string) {
    let path = rawPath;
    const cut = path.search(/[?#]/);
    if (cut !== -1) path = path.slice(0, cut);
    if (!path.startsWith('/')) path = `/${path}`;
    this.path = path;
    // As ASP.NET Core's PathTokenizer: split on '/', ignoring the leading one and one trailing one.
    const last = path.endsWith('/') ? path.length - 1 : path.length;
    let start = 1;
    if (last >= 1) {
      for (let i = 1; i <= last; i++) {
        if (i === last || path.charCodeAt(i) === 47) {
          this.starts.push(start);
          this.ends.push(i);
          start = i + 1;
        }
      }
    }
  }

  get count(): number {
    return this.starts.length;
  }

  isEmpty(index: number): boolean {
    return this.starts[index] === this.ends[index];
  }

  segment(index: number, decodeSlash: boolean): string {
    const cache = this.decoded[decodeSlash ? 1 : 0];
    let value = cache[index];
    if (value === undefined) {
      value = decodePath(this.path.slice(this.starts[index], this.ends[index]), decodeSlash);
      cache[index] = value;
    }
    return value;
  }

  lower(index: number, decodeSlash: boolean): string {
    const cache = this.lowered[decodeSlash ? 1 : 0];
    let value = cache[index];
    if (value === undefined) {
      value = this.segment(index, decodeSlash).toLowerCase();
      cache[index] = value;
    }
    return value;
  }

  /** Everything from the start of a segment to the end of the path (trailing slash included). */
  rest(index: number, decodeSlash: boolean): string {
    return decodePath(this.path.slice(this.starts[index]), decodeSlash);
  }
}
