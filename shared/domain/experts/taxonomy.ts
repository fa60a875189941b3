/**
 * The food-industry specialization taxonomy, kept as data: experts declare specializations from
 * it, search expands queries with its synonyms and acronyms, and matching reads needs with it
 * (concepts, jurisdiction cues, which certifications qualify). Ids are stable slugs; renaming a
 * specialization keeps its id. Jurisdictions are ISO 3166-1 alpha-2 codes, `EU`, or `GLOBAL`.
 */

export interface Certification {
  id: string;
  name: string;
  /** Who issues or accredits it. */
  issuer: string;
  acronyms: readonly string[];
  /** Where it is recognised; a need for an EU organic certification is not met by a US one. */
  jurisdictions: readonly string[];
}

export interface Specialization {
  id: string;
  name: string;
  parentId: string | null;
  description: string;
  /** Other names buyers use, acronyms included (matched case-insensitively). */
  synonyms: readonly string[];
  acronyms: readonly string[];
  /** Certification ids that evidence this specialization. */
  certifications: readonly string[];
  jurisdictions: readonly string[];
}

export const certifications: readonly Certification[] = [
  { id: 'pcqi', name: 'Preventive Controls Qualified Individual', issuer: 'FSPCA', acronyms: ['PCQI'], jurisdictions: ['US'] },
  { id: 'fsvp-qi', name: 'FSVP Qualified Individual', issuer: 'FSPCA', acronyms: ['FSVP QI'], jurisdictions: ['US'] },
  { id: 'produce-safety-grower', name: 'Produce Safety Rule Grower Training', issuer: 'Produce Safety Alliance', acronyms: ['PSA'], jurisdictions: ['US'] },
  { id: 'fspca-ia', name: 'Intentional Adulteration Qualified Individual', issuer: 'FSPCA', acronyms: ['IAQI'], jurisdictions: ['US'] },
  { id: 'haccp-certified', name: 'HACCP Certification (accredited course)', issuer: 'International HACCP Alliance', acronyms: ['HACCP'], jurisdictions: ['GLOBAL'] },
  { id: 'seafood-haccp', name: 'Seafood HACCP', issuer: 'Seafood HACCP Alliance / AFDO', acronyms: ['SHA'], jurisdictions: ['US'] },
  { id: 'sqf-practitioner', name: 'SQF Practitioner', issuer: 'SQFI', acronyms: ['SQF'], jurisdictions: ['GLOBAL'] },
  { id: 'sqf-auditor', name: 'SQF Auditor', issuer: 'SQFI', acronyms: ['SQF'], jurisdictions: ['GLOBAL'] },
  { id: 'brcgs-auditor', name: 'BRCGS Food Safety Auditor', issuer: 'BRCGS', acronyms: ['BRC', 'BRCGS'], jurisdictions: ['GLOBAL'] },
  { id: 'brcgs-professional', name: 'BRCGS Professional', issuer: 'BRCGS', acronyms: ['BRCGS'], jurisdictions: ['GLOBAL'] },
  { id: 'fssc-22000-auditor', name: 'FSSC 22000 Auditor', issuer: 'Foundation FSSC', acronyms: ['FSSC'], jurisdictions: ['GLOBAL'] },
  { id: 'iso-22000-lead-auditor', name: 'ISO 22000 Lead Auditor', issuer: 'Exemplar Global / IRCA', acronyms: ['ISO 22000'], jurisdictions: ['GLOBAL'] },
  { id: 'ifs-auditor', name: 'IFS Food Auditor', issuer: 'IFS Management GmbH', acronyms: ['IFS'], jurisdictions: ['GLOBAL'] },
  { id: 'usda-organic-inspector', name: 'Organic Inspector (USDA NOP)', issuer: 'IOIA', acronyms: ['NOP'], jurisdictions: ['US'] },
  { id: 'eu-organic-inspector', name: 'Organic Inspector (EU 2018/848)', issuer: 'EU-approved control body', acronyms: ['EU Organic'], jurisdictions: ['EU'] },
  { id: 'kosher-supervisor', name: 'Kosher Supervisor (Mashgiach)', issuer: 'Recognised kosher agency', acronyms: ['Mashgiach'], jurisdictions: ['GLOBAL'] },
  { id: 'halal-auditor', name: 'Halal Auditor', issuer: 'Accredited halal certification body', acronyms: [], jurisdictions: ['GLOBAL'] },
  { id: 'cqa', name: 'Certified Quality Auditor', issuer: 'ASQ', acronyms: ['CQA'], jurisdictions: ['GLOBAL'] },
  { id: 'cfs', name: 'Certified Food Scientist', issuer: 'IFT', acronyms: ['CFS'], jurisdictions: ['GLOBAL'] },
  { id: 'cp-fs', name: 'Certified Professional – Food Safety', issuer: 'NEHA', acronyms: ['CP-FS'], jurisdictions: ['US'] },
  { id: 'rd', name: 'Registered Dietitian', issuer: 'CDR', acronyms: ['RD', 'RDN'], jurisdictions: ['US'] },
  { id: 'licensed-customs-broker', name: 'Licensed Customs Broker', issuer: 'U.S. CBP', acronyms: ['LCB'], jurisdictions: ['US'] },
  { id: 'iso-17025-assessor', name: 'ISO/IEC 17025 Laboratory Assessor', issuer: 'Accreditation body (A2LA, UKAS, ...)', acronyms: ['ISO 17025'], jurisdictions: ['GLOBAL'] },
  { id: 'cold-chain-professional', name: 'Certified Cold Chain Professional', issuer: 'Cold Chain Professional Certification', acronyms: ['CCCP'], jurisdictions: ['GLOBAL'] },
  { id: 'cpp', name: 'Certified Packaging Professional', issuer: 'IoPP', acronyms: ['CPP'], jurisdictions: ['GLOBAL'] },
];

const spec = (
  id: string,
  name: string,
  parentId: string | null,
  description: string,
  details: { synonyms?: string[]; acronyms?: string[]; certifications?: string[]; jurisdictions?: string[] } = {},
): Specialization => ({
  id,
  name,
  parentId,
  description,
  synonyms: details.synonyms ?? [],
  acronyms: details.acronyms ?? [],
  certifications: details.certifications ?? [],
  jurisdictions: details.jurisdictions ?? ['GLOBAL'],
});

export const specializations: readonly Specialization[] = [
  spec('food-safety-systems', 'Food safety systems', null, 'Designing, running and auditing the systems that keep food safe.', { synonyms: ['food safety management', 'FSMS'], acronyms: ['FSMS'] }),
  spec('haccp', 'HACCP', 'food-safety-systems', 'Hazard analysis, critical control points, validation and verification of HACCP plans.', {
    synonyms: ['hazard analysis critical control point', 'HACCP plan', 'CCP'],
    acronyms: ['HACCP', 'CCP'],
    certifications: ['haccp-certified', 'seafood-haccp', 'pcqi'],
  }),
  spec('gmp-sanitation', 'GMP and sanitation', 'food-safety-systems', 'Good manufacturing practices, prerequisite programmes, cleaning and sanitation (SSOPs).', {
    synonyms: ['good manufacturing practices', 'prerequisite programs', 'PRP', 'SSOP', 'cGMP', 'hygiene'],
    acronyms: ['GMP', 'cGMP', 'SSOP', 'PRP'],
    certifications: ['cp-fs'],
  }),
  spec('allergen-management', 'Allergen management', 'food-safety-systems', 'Allergen controls, cross-contact prevention, cleaning validation and precautionary labelling.', {
    synonyms: ['allergen control', 'cross-contact', 'may contain', 'gluten-free'],
    certifications: ['pcqi'],
  }),
  spec('food-defense', 'Food defense', 'food-safety-systems', 'Vulnerability assessments and mitigation against intentional adulteration.', {
    synonyms: ['intentional adulteration', 'food defence', 'TACCP', 'VACCP', 'food fraud'],
    acronyms: ['IA', 'TACCP', 'VACCP'],
    certifications: ['fspca-ia'],
  }),
  spec('microbiology-lab-testing', 'Microbiology and lab testing', 'food-safety-systems', 'Pathogen and environmental monitoring, sampling plans, lab selection and result interpretation.', {
    synonyms: ['microbiology', 'lab testing', 'environmental monitoring', 'EMP', 'Listeria', 'Salmonella', 'E. coli', 'pathogen testing'],
    acronyms: ['EMP'],
    certifications: ['iso-17025-assessor'],
  }),
  spec('shelf-life-studies', 'Shelf-life studies', 'food-safety-systems', 'Shelf-life determination, challenge studies and date labelling.', {
    synonyms: ['shelf life', 'challenge study', 'best before', 'use by', 'stability testing'],
    certifications: ['cfs'],
  }),
  spec('recall-management', 'Recall management', 'food-safety-systems', 'Recall plans, mock recalls, crisis response and regulator notification.', {
    synonyms: ['product recall', 'mock recall', 'crisis management', 'withdrawal'],
  }),
  spec('supplier-audits', 'Supplier audits', 'food-safety-systems', 'Supplier approval programmes and second-party audits.', {
    synonyms: ['supplier approval', 'vendor audit', 'second-party audit', 'supply chain audit'],
    certifications: ['cqa', 'iso-22000-lead-auditor'],
  }),

  spec('us-regulatory', 'US food regulation (FDA / USDA)', null, 'Compliance with US federal food law.', {
    synonyms: ['FDA compliance', 'USDA compliance'],
    acronyms: ['FDA', 'USDA'],
    jurisdictions: ['US'],
  }),
  spec('fsma', 'FSMA', 'us-regulatory', 'The FDA Food Safety Modernization Act and its rules.', {
    synonyms: ['Food Safety Modernization Act'],
    acronyms: ['FSMA'],
    certifications: ['pcqi'],
    jurisdictions: ['US'],
  }),
  spec('fsma-preventive-controls', 'FSMA preventive controls', 'fsma', 'Food safety plans under 21 CFR 117 (human food) and 507 (animal food).', {
    synonyms: ['preventive controls', 'PCHF', 'food safety plan', '21 CFR 117', 'PCQI'],
    acronyms: ['PCHF', 'PCAF', 'PCQI'],
    certifications: ['pcqi'],
    jurisdictions: ['US'],
  }),
  spec('fsvp', 'Foreign Supplier Verification Program', 'fsma', 'Importer verification of foreign suppliers under 21 CFR 1 subpart L.', {
    synonyms: ['foreign supplier verification', 'FSVP importer', 'FSVP audit'],
    acronyms: ['FSVP'],
    certifications: ['fsvp-qi', 'pcqi'],
    jurisdictions: ['US'],
  }),
  spec('produce-safety', 'Produce safety', 'fsma', 'The FSMA Produce Safety Rule: water, soil amendments, worker hygiene, harvest.', {
    synonyms: ['produce safety rule', 'PSR', 'GAP', 'good agricultural practices'],
    acronyms: ['PSR', 'GAP'],
    certifications: ['produce-safety-grower'],
    jurisdictions: ['US'],
  }),
  spec('food-traceability', 'Food traceability (FSMA 204)', 'fsma', 'Key data elements and critical tracking events for foods on the Food Traceability List.', {
    synonyms: ['traceability', 'FSMA 204', 'food traceability rule', 'KDE', 'CTE', 'lot tracing'],
    acronyms: ['KDE', 'CTE', 'FTL'],
    jurisdictions: ['US'],
  }),
  spec('usda-fsis', 'USDA FSIS meat and poultry', 'us-regulatory', 'Inspection, labels and HACCP for meat, poultry and egg products.', {
    synonyms: ['FSIS', 'meat inspection', 'poultry inspection', 'grant of inspection'],
    acronyms: ['FSIS'],
    certifications: ['haccp-certified'],
    jurisdictions: ['US'],
  }),

  spec('gfsi-schemes', 'GFSI certification schemes', null, 'Preparing for and auditing GFSI-benchmarked certifications.', { synonyms: ['GFSI', 'third-party certification'], acronyms: ['GFSI'] }),
  spec('sqf', 'SQF', 'gfsi-schemes', 'Safe Quality Food code implementation and audits.', { synonyms: ['Safe Quality Food'], acronyms: ['SQF'], certifications: ['sqf-practitioner', 'sqf-auditor'] }),
  spec('brcgs', 'BRCGS', 'gfsi-schemes', 'BRCGS Global Standard for Food Safety.', {
    synonyms: ['BRC', 'BRC Global Standard'],
    acronyms: ['BRC', 'BRCGS'],
    certifications: ['brcgs-auditor', 'brcgs-professional'],
  }),
  spec('fssc-22000', 'FSSC 22000', 'gfsi-schemes', 'FSSC 22000 (ISO 22000 with PRPs and scheme requirements).', {
    synonyms: ['ISO 22000', 'FSSC'],
    acronyms: ['FSSC', 'ISO 22000'],
    certifications: ['fssc-22000-auditor', 'iso-22000-lead-auditor'],
  }),
  spec('ifs', 'IFS Food', 'gfsi-schemes', 'International Featured Standards for food.', {
    synonyms: ['International Featured Standards', 'IFS Food'],
    acronyms: ['IFS'],
    certifications: ['ifs-auditor'],
    jurisdictions: ['EU', 'GLOBAL'],
  }),

  spec('organic', 'Organic certification', null, 'Organic plans, certification and inspections.', { synonyms: ['organic', 'bio', 'organic compliance'] }),
  spec('usda-organic', 'USDA organic (NOP)', 'organic', 'National Organic Program certification, organic system plans, SOE rule.', {
    synonyms: ['USDA organic', 'National Organic Program', 'organic system plan', 'OSP'],
    acronyms: ['NOP', 'OSP', 'SOE'],
    certifications: ['usda-organic-inspector'],
    jurisdictions: ['US'],
  }),
  spec('eu-organic', 'EU organic (Regulation 2018/848)', 'organic', 'EU organic production and labelling, control bodies, import certificates (COI).', {
    synonyms: ['EU organic', 'organic regulation 2018/848', 'euro leaf', 'bio EU', 'COI'],
    acronyms: ['COI'],
    certifications: ['eu-organic-inspector'],
    jurisdictions: ['EU'],
  }),

  spec('religious-certification', 'Religious dietary certification', null, 'Kosher and halal programmes.', { synonyms: ['religious certification'] }),
  spec('kosher', 'Kosher', 'religious-certification', 'Kosher certification, ingredient approval and supervision.', {
    synonyms: ['kashrut', 'kosher certification', 'OU', 'pareve'],
    certifications: ['kosher-supervisor'],
  }),
  spec('halal', 'Halal', 'religious-certification', 'Halal certification, slaughter and ingredient compliance.', { synonyms: ['halal certification', 'zabiha'], certifications: ['halal-auditor'] }),

  spec('labelling-nutrition', 'Labelling and nutrition', null, 'Label compliance, nutrition facts and claims.', { synonyms: ['labeling', 'food labels', 'nutrition labelling'] }),
  spec('labelling-us', 'US labelling and Nutrition Facts', 'labelling-nutrition', 'FDA/USDA label review, Nutrition Facts panels, allergen declarations (FALCPA), claims.', {
    synonyms: ['nutrition facts', 'FDA labeling', 'label review', 'FALCPA', 'health claims'],
    acronyms: ['NFP', 'FALCPA'],
    certifications: ['rd'],
    jurisdictions: ['US'],
  }),
  spec('labelling-eu', 'EU labelling (FIC 1169/2011)', 'labelling-nutrition', 'EU food information to consumers, nutrition declarations, allergen emphasis, claims.', {
    synonyms: ['FIC', 'EU labeling', 'Regulation 1169/2011', 'nutrition declaration'],
    acronyms: ['FIC'],
    jurisdictions: ['EU'],
  }),

  spec('trade-compliance', 'Import, export and customs', null, 'Moving food across borders: entry, documentation, tariffs and holds.', {
    synonyms: ['import', 'export', 'customs', 'import alert', 'FDA detention', 'prior notice', 'health certificate'],
    certifications: ['licensed-customs-broker', 'fsvp-qi'],
  }),
  spec('product-development', 'Product development', null, 'Formulation, scale-up, sensory and process authority work.', {
    synonyms: ['R&D', 'formulation', 'new product development', 'NPD', 'process authority', 'scale-up'],
    acronyms: ['NPD', 'R&D'],
    certifications: ['cfs'],
  }),
  spec('packaging', 'Packaging', null, 'Food-contact materials, packaging design and migration testing.', {
    synonyms: ['food contact materials', 'FCM', 'packaging compliance', 'migration testing'],
    acronyms: ['FCM'],
    certifications: ['cpp'],
  }),
  spec('cold-chain', 'Cold chain', null, 'Temperature-controlled storage and transport, sanitary transportation.', {
    synonyms: ['cold chain', 'temperature control', 'sanitary transportation', 'refrigerated logistics', 'reefer'],
    certifications: ['cold-chain-professional'],
  }),
  spec('sustainability', 'Sustainability', null, 'Environmental and social programmes: carbon, water, packaging waste, responsible sourcing.', {
    synonyms: ['ESG', 'carbon footprint', 'responsible sourcing', 'food waste', 'regenerative agriculture'],
    acronyms: ['ESG'],
  }),
];

const byId = new Map(specializations.map((entry) => [entry.id, entry]));
const certificationsById = new Map(certifications.map((entry) => [entry.id, entry]));

export function findSpecialization(id: string): Specialization | undefined {
  return byId.get(id);
}

export function findCertification(id: string): Certification | undefined {
  return certificationsById.get(id);
}

/** The specialization and its ancestors, root last (a FSVP expert is also a FSMA and US-regulatory expert). */
export function ancestry(id: string): Specialization[] {
  const chain: Specialization[] = [];
  for (let current = byId.get(id); current; current = current.parentId ? byId.get(current.parentId) : undefined) chain.push(current);
  return chain;
}
