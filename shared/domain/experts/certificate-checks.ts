import type { ExtractedDocument } from './ports';
import { isCertificationCurrent } from './credential-expiry';
import { findCertification } from './taxonomy';

/**
 * The automated checks of a verification request: what the expert declared about a certificate
 * against the text read from the uploaded document. They inform the admin who decides; a check
 * that cannot be decided by a machine says so (`needs_review`) rather than guessing.
 */
export interface DeclaredCertification {
  /** A catalogued certification id (taxonomy), when the expert picked one. */
  certificationId?: string;
  name: string;
  issuer: string;
  number: string;
  /** ISO dates (YYYY-MM-DD). */
  issuedOn?: string;
  expiresOn?: string;
}

export type CheckName = 'readable' | 'name_on_document' | 'certificate_number' | 'issuer' | 'expiry';
export type CheckStatus = 'passed' | 'failed' | 'needs_review';

export interface CheckResult {
  check: CheckName;
  status: CheckStatus;
  detail: string;
}

export function checkCertificate(input: { holderName: string; certification: DeclaredCertification; document: ExtractedDocument; today: string }): CheckResult[] {
  const { certification, document } = input;
  const readable = !document.needsHumanReading;
  const text = readable ? document.text : '';
  return [
    readable
      ? result('readable', 'passed', `Text read from ${document.pages} page(s) (${document.source}).`)
      : result('readable', 'needs_review', 'The document has no machine-readable text (a scan or photo); a reviewer must read it.'),
    checkName(input.holderName, text, readable),
    checkNumber(certification.number, text, readable),
    checkIssuer(certification, text, readable),
    checkExpiry(certification.expiresOn, text, input.today),
  ];
}

/** The worst status wins: one failure fails the set; otherwise anything undecided needs a person. */
export function overallStatus(results: CheckResult[]): CheckStatus {
  if (results.some((entry) => entry.status === 'failed')) return 'failed';
  if (results.some((entry) => entry.status === 'needs_review')) return 'needs_review';
  return 'passed';
}

function result(check: CheckName, status: CheckStatus, detail: string): CheckResult {
  return { check, status, detail };
}

/** Lower case, accents removed, punctuation to spaces: "José O'Brien-Díaz" → "jose o brien diaz". */
function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function checkName(holderName: string, text: string, readable: boolean): CheckResult {
  if (!readable) return result('name_on_document', 'needs_review', 'Cannot compare names on an unreadable document.');
  const name = words(holderName).filter((word) => word.length > 1);
  const onDocument = new Set(words(text));
  if (name.length === 0) return result('name_on_document', 'needs_review', 'The profile has no name to compare.');
  // First and last name must both appear; middle names and initials are often left off certificates.
  const required = name.length > 1 ? [name[0]!, name.at(-1)!] : name;
  const missing = required.filter((word) => !onDocument.has(word));
  return missing.length === 0
    ? result('name_on_document', 'passed', `"${holderName}" appears on the document.`)
    : result('name_on_document', 'failed', `The document does not name "${holderName}" (missing: ${missing.join(', ')}).`);
}

/** Letters and digits only, upper case: "pcqi-2024 / 118733" → "PCQI2024118733". */
function compact(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function checkNumber(number: string, text: string, readable: boolean): CheckResult {
  const value = compact(number);
  const plausible = /^[A-Za-z0-9][A-Za-z0-9 ./-]{2,39}$/.test(number.trim()) && (value.match(/\d/g)?.length ?? 0) >= 2 && !/^(.)\1+$/.test(value);
  if (!plausible) return result('certificate_number', 'failed', `"${number}" does not look like a certificate number (4–40 letters and digits, at least two digits).`);
  if (!readable) return result('certificate_number', 'needs_review', 'Cannot find the number on an unreadable document.');
  return compact(text).includes(value)
    ? result('certificate_number', 'passed', `Number ${number} appears on the document.`)
    : result('certificate_number', 'failed', `Number ${number} does not appear on the document.`);
}

function checkIssuer(certification: DeclaredCertification, text: string, readable: boolean): CheckResult {
  const catalogued = certification.certificationId ? findCertification(certification.certificationId) : undefined;
  const declared = new Set(words(certification.issuer));
  if (catalogued) {
    const usual = words(catalogued.issuer);
    if (!usual.some((word) => declared.has(word))) {
      return result('issuer', 'needs_review', `${catalogued.name} is usually issued by ${catalogued.issuer}, not "${certification.issuer}".`);
    }
  }
  if (!readable) return result('issuer', 'needs_review', 'Cannot find the issuer on an unreadable document.');
  const onDocument = new Set(words(text));
  const significant = [...declared].filter((word) => word.length > 2 || /^[a-z]{2}$/.test(word));
  return significant.length > 0 && significant.every((word) => onDocument.has(word))
    ? result('issuer', 'passed', `Issuer "${certification.issuer}" appears on the document.`)
    : result('issuer', 'needs_review', `Issuer "${certification.issuer}" was not found on the document.`);
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Dates written after "expires", "expiry", "valid until/through/to": ISO, "March 31, 2027" or "31 March 2027". */
export function expiryDatesIn(text: string): string[] {
  const dates: string[] = [];
  const cue = /(?:expir\w*|valid\s+(?:until|through|thru|to))\s*(?:date|on)?\s*[:-]?\s*/gi;
  for (const match of text.matchAll(cue)) {
    const rest = text.slice(match.index! + match[0].length, match.index! + match[0].length + 40);
    const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(rest);
    const monthFirst = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})/.exec(rest);
    const dayFirst = /^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})/.exec(rest);
    const month = (name: string) => MONTHS.findIndex((candidate) => candidate.startsWith(name.toLowerCase()) && name.length >= 3) + 1;
    let date: string | undefined;
    if (iso) date = `${iso[1]}-${iso[2]}-${iso[3]}`;
    else if (monthFirst && month(monthFirst[1]!) > 0) date = isoDate(Number(monthFirst[3]), month(monthFirst[1]!), Number(monthFirst[2]));
    else if (dayFirst && month(dayFirst[2]!) > 0) date = isoDate(Number(dayFirst[3]), month(dayFirst[2]!), Number(dayFirst[1]));
    if (date && !Number.isNaN(Date.parse(date))) dates.push(date);
  }
  return dates;
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function checkExpiry(expiresOn: string | undefined, text: string, today: string): CheckResult {
  const onDocument = expiryDatesIn(text);
  const expiry = expiresOn ?? onDocument[0];
  if (!expiry) return result('expiry', 'passed', 'The certification does not expire.');
  // Valid through its expiry day, as the expiry reminders count it.
  if (!isCertificationCurrent({ expiresOn: expiry }, today)) return result('expiry', 'failed', `The certification expired on ${expiry}.`);
  if (expiresOn && onDocument.length > 0 && !onDocument.includes(expiresOn)) {
    return result('expiry', 'needs_review', `Declared expiry ${expiresOn} differs from the document's ${onDocument.join(', ')}.`);
  }
  return result('expiry', 'passed', `Valid until ${expiry}.`);
}
