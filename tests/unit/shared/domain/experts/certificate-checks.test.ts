import { describe, expect, it } from 'vitest';
import { checkCertificate, expiryDatesIn, overallStatus, type DeclaredCertification } from '../../../../../shared/domain/experts/certificate-checks';
import type { ExtractedDocument } from '../../../../../shared/domain/experts/ports';

const readable = (text: string): ExtractedDocument => ({ text, pages: 1, source: 'pdf-text-layer', needsHumanReading: false });
const scan: ExtractedDocument = { text: '', pages: 1, source: 'none', needsHumanReading: true };
const pcqi: DeclaredCertification = { certificationId: 'pcqi', name: 'PCQI', issuer: 'FSPCA', number: 'PCQI-2024-118733', expiresOn: '2027-03-31' };
const certificate = 'Certificate of Completion FSPCA Preventive Controls for Human Food Maria José García-López Certificate No. PCQI 2024 118733 Valid until March 31, 2027';
const today = '2026-11-25';

const statuses = (results: ReturnType<typeof checkCertificate>) => Object.fromEntries(results.map((entry) => [entry.check, entry.status]));

describe('certificate checks', () => {
  it('pass when the document names the holder, the number, the issuer and a future expiry', () => {
    const results = checkCertificate({ holderName: 'María García-López', certification: pcqi, document: readable(certificate), today });
    expect(statuses(results)).toEqual({ readable: 'passed', name_on_document: 'passed', certificate_number: 'passed', issuer: 'passed', expiry: 'passed' });
    expect(overallStatus(results)).toBe('passed');
  });

  it('fail when the name on the document is someone else’s', () => {
    const results = checkCertificate({ holderName: 'John Smith', certification: pcqi, document: readable(certificate), today });
    expect(results.find((entry) => entry.check === 'name_on_document')).toMatchObject({ status: 'failed', detail: expect.stringContaining('john, smith') });
    expect(overallStatus(results)).toBe('failed');
  });

  it('fail a number that is missing from the document or implausible', () => {
    const other = checkCertificate({ holderName: 'Maria Garcia-Lopez', certification: { ...pcqi, number: 'PCQI-2024-999999' }, document: readable(certificate), today });
    expect(statuses(other).certificate_number).toBe('failed');
    for (const number of ['x', '11111111', 'ABCDEFG', '<script>1</script>']) {
      expect(statuses(checkCertificate({ holderName: 'Maria Garcia', certification: { ...pcqi, number }, document: readable(certificate), today })).certificate_number).toBe('failed');
    }
  });

  it('fail an expired certification, and ask a person when the declared expiry differs from the document', () => {
    expect(checkCertificate({ holderName: 'Maria Garcia', certification: { ...pcqi, expiresOn: '2025-01-01' }, document: readable(certificate), today }).at(-1)).toMatchObject({
      status: 'failed',
      detail: 'The certification expired on 2025-01-01.',
    });
    expect(statuses(checkCertificate({ holderName: 'Maria Garcia', certification: { ...pcqi, expiresOn: '2028-03-31' }, document: readable(certificate), today })).expiry).toBe('needs_review');
    // No declared expiry: the document's is used.
    expect(
      statuses(checkCertificate({ holderName: 'Maria Garcia', certification: { ...pcqi, expiresOn: undefined }, document: readable('Maria Garcia PCQI-2024-118733 FSPCA expires 2026-01-31'), today }))
        .expiry,
    ).toBe('failed');
  });

  it('send an unusual issuer for a catalogued certification to a person', () => {
    const results = checkCertificate({ holderName: 'Maria Garcia', certification: { ...pcqi, issuer: 'Cheap Certs Ltd' }, document: readable(certificate), today });
    expect(results.find((entry) => entry.check === 'issuer')).toMatchObject({ status: 'needs_review', detail: expect.stringContaining('usually issued by FSPCA') });
  });

  it('leave an unreadable scan to a person instead of failing it', () => {
    const results = checkCertificate({ holderName: 'Maria Garcia', certification: pcqi, document: scan, today });
    expect(statuses(results)).toEqual({ readable: 'needs_review', name_on_document: 'needs_review', certificate_number: 'needs_review', issuer: 'needs_review', expiry: 'passed' });
    expect(overallStatus(results)).toBe('needs_review');
  });
});

describe('expiry dates in document text', () => {
  it('reads the common ways certificates write them', () => {
    expect(expiryDatesIn('Valid until March 31, 2027')).toEqual(['2027-03-31']);
    expect(expiryDatesIn('Expiry date: 5 Sept 2026')).toEqual(['2026-09-05']);
    expect(expiryDatesIn('Expires 2028-01-15. Issued 2025-01-15')).toEqual(['2028-01-15']);
    expect(expiryDatesIn('Issued on 31/03/2024')).toEqual([]);
  });
});
