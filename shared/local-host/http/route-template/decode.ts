/**
 * Percent-decoding of a request path, or a part of one, as Kestrel does it: valid UTF-8 escapes are decoded,
 * invalid ones are left as written, and %2F stays encoded unless asked otherwise.
 */
export function decodePath(raw: string, decodeSlash: boolean): string {
  if (raw.indexOf('%') === -1) return raw;
  if (decodeSlash || !/%2f/i.test(raw)) {
    try {
      return decodeURIComponent(raw);
    } catch {
      // fall through to the tolerant decoder
    }
  }
  let out = '';
  let i = 0;
  while (i < raw.length) {
    if (raw.charCodeAt(i) !== 37 /* % */) {
      const next = raw.indexOf('%', i);
      const stop = next === -1 ? raw.length : next;
      out += raw.slice(i, stop);
      i = stop;
      continue;
    }
    // Collect a run of %XX escapes (a kept %2F ends the run).
    const bytes: number[] = [];
    const texts: string[] = [];
    let j = i;
    while (j + 2 < raw.length && raw.charCodeAt(j) === 37 && isHex(raw.charCodeAt(j + 1)) && isHex(raw.charCodeAt(j + 2))) {
      const byte = parseInt(raw.slice(j + 1, j + 3), 16);
      if (byte === 0x2f && !decodeSlash) break;
      bytes.push(byte);
      texts.push(raw.slice(j, j + 3));
      j += 3;
    }
    if (bytes.length === 0) {
      // A lone '%', a malformed escape, or a kept %2F: copy it as written.
      const keep = raw.charCodeAt(i + 1) === 50 && (raw[i + 2] === 'f' || raw[i + 2] === 'F') ? 3 : 1;
      out += raw.slice(i, i + keep);
      i += keep;
      continue;
    }
    out += decodeUtf8(bytes, texts);
    i = j;
  }
  return out;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function decodeUtf8(bytes: number[], texts: string[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let length = 0;
    let min = 0;
    let cp = 0;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
      cp = b & 0x1f;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      cp = b & 0x0f;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      cp = b & 0x07;
      min = 0x10000;
    }
    let valid = length > 0 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) valid = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (valid && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) valid = false;
    if (valid) {
      out += String.fromCodePoint(cp);
      i += length;
    } else {
      out += texts[i];
      i++;
    }
  }
  return out;
}
