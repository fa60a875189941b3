import { describe, expect, it } from 'vitest';
import { attachmentDisposition, safeFileName } from '../../../../shared/blob/content-disposition';
import { fileNameProblem, withTypeExtension } from '../../../../shared/blob/file-names';

describe('file names an expert gives a document', () => {
  it.each(['PCQI certificate 2024.pdf', 'Plan HACCP – תכנית.pdf', 'María García (final).PDF', 'scan', 'a.b.c.jpeg', "it's #1 & [ok].png", 'console.pdf', 'COM10.pdf'])('accepts %j', (name) => {
    expect(fileNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['PCQI-certificate\u202Efdp.hta', 'U+202E'], // right-to-left override: shows as "…ath.pdf"
    ['report\u2066.pdf', 'U+2066'], // left-to-right isolate
    ['invoice\u200F.pdf', 'U+200F'], // right-to-left mark
    ['cert\u200B.pdf', 'U+200B'], // zero-width space
    ['cert\uFEFF.pdf', 'U+FEFF'], // zero-width no-break space
    ['cert\u3164.pdf', 'U+3164'], // Hangul filler: renders as nothing
    ['line\u2028break.pdf', 'U+2028'],
    ['tab\there.pdf', 'U+0009'],
    ['bell\u0007.pdf', 'U+0007'],
    ['c1\u0085.pdf', 'U+0085'],
    ['lone\uD800.pdf', 'U+D800'],
    ['private\uE000.pdf', 'U+E000'],
  ])('refuses %j, naming %s', (name, code) => {
    expect(fileNameProblem(name)).toBe(`must not contain control, invisible or text-direction characters (found ${code})`);
  });

  it.each([
    ['../etc/passwd', '/'],
    ['C:\\Users\\x.pdf', ':'],
    ['folder\\x.pdf', '\\'],
    ['cert.pdf:Zone.Identifier', ':'],
    ['what?.pdf', '?'],
    ['a*.pdf', '*'],
    ['<script>.pdf', '<'],
    ['say "hi".pdf', '"'],
    ['a|b.pdf', '|'],
  ])('refuses %j for %j', (name, character) => {
    expect(fileNameProblem(name)).toMatch(new RegExp(`^must not contain "${character.replace(/[\\*?|]/g, '\\$&')}"`));
  });

  it.each([
    ['CON', 'must not be "CON", a device name Windows reserves'],
    ['con.pdf', 'must not be "con", a device name Windows reserves'],
    ['NUL .tar.pdf', 'must not be "NUL", a device name Windows reserves'],
    ['lpt1.pdf', 'must not be "lpt1", a device name Windows reserves'],
    ['COM¹.pdf', 'must not be "COM¹", a device name Windows reserves'],
    ['cert.pdf.', 'must not end with "." or a space (Windows drops them)'],
    ['cert.pdf ', 'must not end with "." or a space (Windows drops them)'],
    ['.htaccess', 'must not start with "."'],
    ['..', 'must not start with "."'],
    ['', 'must not be empty'],
    ['x'.repeat(201), 'must be at most 200 characters'],
  ])('refuses %j: %s', (name, problem) => {
    expect(fileNameProblem(name)).toBe(problem);
  });
});

describe('the extension of the verified type', () => {
  it.each([
    ['certificate.pdf', 'application/pdf', 'certificate.pdf'],
    ['Certificate.PDF', 'application/pdf', 'Certificate.PDF'],
    ['certificate.exe', 'application/pdf', 'certificate.exe.pdf'],
    ['certificate', 'application/pdf', 'certificate.pdf'],
    ['scan.jpeg', 'image/jpeg', 'scan.jpeg'],
    ['scan.jpg', 'image/jpeg', 'scan.jpg'],
    ['scan.png', 'image/jpeg', 'scan.png.jpg'],
    ['label.pdf', 'image/png', 'label.pdf.png'],
    ['.pdf', 'application/pdf', '.pdf.pdf'],
    ['notes.txt', 'application/octet-stream', 'notes.txt'],
  ])('%j as %s → %j', (name, type, expected) => {
    expect(withTypeExtension(name, type)).toBe(expected);
  });

  it('stays within 200 characters, the extension kept', () => {
    const named = withTypeExtension(`${'🍞'.repeat(200)}`, 'application/pdf');
    expect([...named]).toHaveLength(200);
    expect(named.endsWith('🍞.pdf')).toBe(true);
  });
});

describe('names stored before the rule, when downloaded', () => {
  it('loses its invisible characters, so the name shows what the file is', () => {
    expect(safeFileName('PCQI-certificate\u202Efdp.hta')).toBe('PCQI-certificatefdp.hta');
    expect(attachmentDisposition(withTypeExtension(safeFileName('PCQI-certificate\u202Efdp.hta'), 'application/pdf'))).toBe('attachment; filename="PCQI-certificatefdp.hta.pdf"');
  });
});
