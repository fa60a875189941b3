import type { NeedInput } from '../../shared/domain/search/matching/need';

/**
 * Realistic buyer needs with the rule that judges each expert's relevance to them, written from
 * the taxonomy by hand and independent of the matcher: grade 2 when the expert declares one of
 * the `primary` specializations (or one under it) and, where given, holds one of `certifications`
 * and speaks one of `languages`; grade 1 when they declare a `primary` or `related` one; else 0.
 */
export interface LabelledNeed {
  need: NeedInput;
  primary: string[];
  related: string[];
  certifications?: string[];
  languages?: string[];
}

export const LABELLED_NEEDS: LabelledNeed[] = [
  {
    need: {
      title: 'Salmonella positive in our ready-to-eat plant',
      description: 'Routine environmental monitoring found Salmonella on a floor drain in the RTE packing room of our snack plant. We need root cause analysis, vector swabbing and a sampling plan.',
      industry: 'snacks',
    },
    primary: ['microbiology-lab-testing'],
    related: ['gmp-sanitation', 'haccp', 'recall-management'],
  },
  {
    need: {
      title: 'FSVP audit for a cheese importer',
      description: 'We import cheese from Italy and France and FDA announced an FSVP inspection. We need a qualified individual to review our supplier verification records.',
      jurisdictions: ['US'],
    },
    primary: ['fsvp'],
    related: ['fsma-preventive-controls', 'trade-compliance', 'supplier-audits'],
    certifications: ['fsvp-qi', 'pcqi'],
  },
  {
    need: {
      title: 'EU organic certification for a new bakery line',
      description: 'We are launching an organic sourdough line in Germany and must be certified under Regulation 2018/848 by a control body.',
      languages: ['de'],
      industry: 'bakery',
    },
    primary: ['eu-organic'],
    related: ['labelling-eu'],
    certifications: ['eu-organic-inspector'],
    languages: ['de'],
  },
  {
    need: {
      title: 'Kosher certification for our dairy',
      description: 'Our yogurt plant wants kosher certification (chalav Yisrael not required). Need help with ingredient approval and preparing for the agency visit.',
      industry: 'dairy',
    },
    primary: ['kosher'],
    related: ['halal'],
    certifications: ['kosher-supervisor'],
  },
  {
    need: {
      title: 'Halal certification for export to Malaysia',
      description: 'We produce chicken sausages and want to export to Malaysia. We need a halal programme and an audit ready for JAKIM recognition.',
      industry: 'poultry',
    },
    primary: ['halal'],
    related: ['kosher', 'trade-compliance'],
    certifications: ['halal-auditor'],
  },
  {
    need: {
      title: 'Allergen labelling review for the US market',
      description: 'Please check our allergen declarations and Nutrition Facts panel against FALCPA before we launch three cookies in US retail.',
      country: 'US',
    },
    primary: ['labelling-us'],
    related: ['allergen-management'],
  },
  {
    need: {
      title: 'BRCGS audit preparation',
      description: 'First BRC Global Standard audit in three months for our frozen ready meals site. Need a gap assessment and mock audit.',
      industry: 'frozen-foods',
    },
    primary: ['brcgs'],
    related: ['sqf', 'fssc-22000', 'ifs'],
  },
  {
    need: { title: 'SQF certification for a snack manufacturer', description: 'We need to implement the Safe Quality Food code edition 9 and pass our first certification audit.', languages: ['en'] },
    primary: ['sqf'],
    related: ['brcgs', 'fssc-22000', 'ifs'],
    certifications: ['sqf-practitioner', 'sqf-auditor'],
  },
  {
    need: {
      title: 'FSMA 204 traceability records',
      description: 'We handle leafy greens and soft cheese on the Food Traceability List. We need key data elements and critical tracking events in place before the compliance date.',
    },
    primary: ['food-traceability'],
    related: ['fsvp', 'fsma-preventive-controls', 'produce-safety'],
  },
  {
    need: {
      title: 'Proposition 65 warning assessment',
      description: 'Do our potato chips need a California Prop 65 acrylamide warning? We want a label review and a US regulatory opinion.',
      country: 'US',
    },
    primary: ['labelling-us'],
    related: ['us-regulatory'],
  },
  {
    need: {
      title: 'HACCP plan for a seafood processor',
      description: 'We smoke salmon and need our seafood HACCP plan rewritten with critical control points for Listeria and Clostridium botulinum.',
      industry: 'seafood',
    },
    primary: ['haccp'],
    related: ['microbiology-lab-testing', 'gmp-sanitation'],
    certifications: ['seafood-haccp', 'haccp-certified'],
  },
  {
    need: {
      title: 'Process authority for acidified foods',
      description: 'Our salsa is an acidified food (LACF rules, 21 CFR 114). We need a process authority to establish the scheduled process and support the FDA filing.',
    },
    primary: ['product-development'],
    related: ['shelf-life-studies', 'fsma-preventive-controls'],
  },
  {
    need: {
      title: 'PCQI to write our food safety plan',
      description: 'Mexican exporter of frozen fruit needs a preventive controls food safety plan for US customers.',
      languages: ['es'],
      country: 'MX',
      industry: 'frozen-foods',
    },
    primary: ['fsma-preventive-controls'],
    related: ['haccp', 'fsvp'],
    certifications: ['pcqi'],
    languages: ['es'],
  },
  {
    need: { title: 'Mock recall and recall plan', description: 'Our retailer asks for a documented recall plan and a mock recall exercise with crisis management roles.' },
    primary: ['recall-management'],
    related: ['food-traceability'],
  },
  {
    need: { title: 'Shelf-life study for a cold-pressed juice', description: 'We need a shelf life and challenge study to set the use by date of a new HPP juice.', industry: 'beverages' },
    primary: ['shelf-life-studies'],
    related: ['microbiology-lab-testing', 'product-development'],
  },
  {
    need: { title: 'Sanitary transportation audit for our reefer fleet', description: 'Temperature control records and sanitary transportation procedures for refrigerated logistics need an audit.' },
    primary: ['cold-chain'],
    related: [],
    certifications: ['cold-chain-professional'],
  },
  {
    need: { title: 'Food defense vulnerability assessment', description: 'Our plant needs an intentional adulteration vulnerability assessment and mitigation strategies under the FSMA rule.' },
    primary: ['food-defense'],
    related: ['fsma-preventive-controls'],
  },
  {
    need: { title: 'USDA FSIS label approval for beef jerky', description: 'We need sketch approval and a grant of inspection plan for a small meat snacks plant.', industry: 'meat' },
    primary: ['usda-fsis'],
    related: ['labelling-us', 'haccp'],
  },
  {
    need: {
      title: 'EU labelling for export of sauces to France',
      description: 'Our sauces need EU labeling under Regulation 1169/2011: nutrition declaration and allergen emphasis, in French.',
      languages: ['fr'],
    },
    primary: ['labelling-eu'],
    related: ['labelling-us'],
    languages: ['fr'],
  },
  {
    need: {
      title: 'Supplier approval programme and vendor audits',
      description: 'We need to build a supplier approval programme and run second-party audits of our spice suppliers.',
      industry: 'spices-seasonings',
    },
    primary: ['supplier-audits'],
    related: ['fsvp'],
  },
  {
    need: { title: 'FSSC 22000 implementation', description: 'Implement FSSC 22000 version 6 in our oils and fats refinery, including prerequisite programs.', industry: 'oils-fats' },
    primary: ['fssc-22000'],
    related: ['sqf', 'brcgs', 'ifs', 'gmp-sanitation'],
  },
  {
    need: {
      title: 'Produce safety rule for our farm',
      description: 'Berry grower needs help with agricultural water testing and worker hygiene under the FSMA Produce Safety Rule.',
      industry: 'produce',
    },
    primary: ['produce-safety'],
    related: ['food-traceability', 'microbiology-lab-testing'],
  },
  {
    need: { title: 'Packaging migration testing', description: 'New compostable packaging for our coffee: we need food contact materials compliance and migration testing.' },
    primary: ['packaging'],
    related: ['sustainability'],
  },
  {
    need: {
      title: 'USDA organic system plan for a farm',
      description: 'Vegetable farm in California wants USDA organic certification under the National Organic Program and needs an organic system plan.',
      country: 'US',
    },
    primary: ['usda-organic'],
    related: [],
    certifications: ['usda-organic-inspector'],
  },
  {
    need: { title: 'Carbon footprint of our product range', description: 'Retailer wants ESG reporting: carbon footprint and food waste reduction plans for our brands.' },
    primary: ['sustainability'],
    related: ['packaging'],
  },
];
