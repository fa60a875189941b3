import type { ExpertService } from '../experts/services';
import { ancestry } from '../experts/taxonomy';
import { interned } from './interned';

/**
 * A published service as search sees it. `fromPrice` is what the service costs at least, in its
 * currency, comparable across pricing models: the fixed price, the cheapest tier, or for hourly
 * pricing the rate times the estimated hours (an hourly rate alone would look cheaper than any
 * fixed price). `deliveryDays` is the quickest delivery (the quickest tier for packages).
 */
export interface SearchableService {
  id: string;
  expertId: string;
  title: string;
  description: string;
  /** Names, synonyms and acronyms of the specialization and its ancestors, for text matching. */
  expertise: string;
  specializationId: string;
  /** The specialization and its ancestors (a parent filter finds its children). */
  specializationIds: string[];
  pricing: ExpertService['pricing'];
  currency: string;
  fromPrice: number;
  deliveryDays: number;
}

export function fromPrice(pricing: ExpertService['pricing']): number {
  switch (pricing.model) {
    case 'fixed':
      return pricing.price;
    case 'hourly':
      return Math.round(pricing.hourlyRate * pricing.estimatedHours * 100) / 100;
    case 'packages':
      return Math.min(...pricing.tiers.map((tier) => tier.price));
  }
}

export function toSearchableService(service: ExpertService): SearchableService {
  const nodes = ancestry(service.specializationId);
  const quickest = service.pricing.model === 'packages' ? Math.min(...service.pricing.tiers.map((tier) => tier.deliveryDays)) : service.deliveryDays!;
  return {
    id: service.id,
    expertId: service.expertId,
    title: service.title,
    description: service.description,
    expertise: [...new Set(nodes.flatMap((node) => [node.name, ...node.synonyms, ...node.acronyms]))].join(' '),
    specializationId: interned(service.specializationId),
    specializationIds: nodes.map((node) => node.id),
    pricing: service.pricing,
    currency: interned(service.currency),
    fromPrice: fromPrice(service.pricing),
    deliveryDays: quickest,
  };
}
