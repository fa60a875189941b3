import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors';
import { createOnce } from '../../data/create-once';
import type { Container, Document, Page, Stored } from '../../data/document-store';
import { currencyCode, plainText } from './profile-schema';
import { findSpecialization } from './taxonomy';

/**
 * What an expert sells. A service is priced one of three ways: a fixed price, an hourly rate
 * with an estimate of the hours, or packaged tiers (basic / standard / premium) that each carry
 * their own price, delivery time and deliverables. Amounts are in the service's currency.
 */

/** How many services one expert may keep; a catalogue larger than this is a sign of spam. */
export const MAX_SERVICES_PER_EXPERT = 50;

const amount = z.number().positive().max(1_000_000).multipleOf(0.01);
const deliveryDays = z.number().int().min(1).max(365);
const deliverables = z
  .array(plainText(200).pipe(z.string().min(2)))
  .min(1)
  .max(20);

const TIERS = ['basic', 'standard', 'premium'] as const;

const tier = z.strictObject({
  name: z.enum(TIERS),
  price: amount,
  deliveryDays,
  deliverables,
});

export const pricingSchema = z.discriminatedUnion('model', [
  z.strictObject({ model: z.literal('fixed'), price: amount }),
  z.strictObject({ model: z.literal('hourly'), hourlyRate: amount, estimatedHours: z.number().positive().max(2000).multipleOf(0.5) }),
  z.strictObject({
    model: z.literal('packages'),
    tiers: z
      .array(tier)
      .min(1)
      .max(TIERS.length)
      // Listed cheapest first, each tier once, so clients can show them as they come.
      .refine(
        (list) => list.every((entry, index) => index === 0 || TIERS.indexOf(list[index - 1]!.name) < TIERS.indexOf(entry.name)),
        'must list each tier once, in the order basic, standard, premium',
      )
      .refine((list) => list.every((entry, index) => index === 0 || list[index - 1]!.price < entry.price), 'each tier must cost more than the one before it'),
  }),
]);

export const serviceInputSchema = z
  .strictObject({
    title: plainText(120).pipe(z.string().min(5)),
    description: plainText(5000).pipe(z.string().min(20)),
    specializationId: z.string().refine((id) => findSpecialization(id) !== undefined, 'is not a specialization in GET /api/v1/specializations'),
    pricing: pricingSchema,
    currency: currencyCode,
    /** For fixed and hourly pricing; packaged tiers carry their own. */
    deliveryDays: deliveryDays.optional(),
    deliverables: deliverables.optional(),
    published: z.boolean().default(false),
  })
  .superRefine((value, context) => {
    const packaged = value.pricing.model === 'packages';
    for (const field of ['deliveryDays', 'deliverables'] as const) {
      if (packaged && value[field] !== undefined) {
        context.addIssue({ code: 'custom', path: [field], message: 'must not be set with packaged pricing: each tier has its own' });
      } else if (!packaged && value[field] === undefined) {
        context.addIssue({ code: 'custom', path: [field], message: `is required with ${value.pricing.model} pricing` });
      }
    }
  });

export type ServiceInput = z.output<typeof serviceInputSchema>;

export interface ExpertService extends Document, ServiceInput {
  expertId: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Services are kept per expert (the partition), so an expert's own reads and writes are point
 * operations. Only when a service is not in the caller's partition does a cross-partition
 * lookup run, to tell "someone else's" (403) from "there is none" (404). `ifMatch` is the
 * caller's check of the version it read (the HTTP layer's If-Match), given the current ETag; the
 * write carries it to the store too, so a concurrent change is a 412.
 */
export class ExpertServices {
  constructor(
    private readonly deps: {
      services: Container<ExpertService>;
      /** Whether the expert's profile is public: their services are shown only then. */
      isProfilePublic: (expertId: string) => Promise<boolean>;
      /** Services shown to a visitor: they count toward trending services (search's, built after this area). */
      shown: (expertId: string, serviceIds: readonly string[]) => Promise<void>;
      now: () => Date;
    },
  ) {}

  /** `id` from an idempotent request: a second run of it (after a crash) gets the service the first created. */
  async create(expertId: string, input: ServiceInput, id: string = randomUUID()): Promise<Stored<ExpertService>> {
    // Two creates racing at 49 could both pass; the cap is against spam, so one over is acceptable.
    if ((await this.deps.services.count({ partitionKey: expertId })) >= MAX_SERVICES_PER_EXPERT) {
      throw new AppError('conflict', `You already offer ${MAX_SERVICES_PER_EXPERT} services, the most an expert may; delete one first.`);
    }
    const at = this.deps.now().toISOString();
    return createOnce(this.deps.services, expertId, { ...input, id, expertId, createdAt: at, updatedAt: at });
  }

  /** The caller's own service: 404 when there is none, 403 when it is another expert's. */
  async own(expertId: string, id: string): Promise<Stored<ExpertService>> {
    const service = await this.deps.services.read(expertId, id);
    if (service) return service;
    const elsewhere = await this.deps.services.query({ where: { field: 'id', op: 'eq', value: id }, limit: 1 });
    if (elsewhere.items.length) throw new AppError('forbidden', 'This service belongs to another expert.');
    throw new AppError('not_found', 'No such service.');
  }

  /** Replaces one of the caller's services, after `ifMatch` accepts the version read. */
  async replace(expertId: string, id: string, input: ServiceInput, ifMatch: (etag: string) => void): Promise<Stored<ExpertService>> {
    const current = await this.own(expertId, id);
    ifMatch(current._etag);
    return this.deps.services.replace({ ...input, id, expertId, createdAt: current.createdAt, updatedAt: this.deps.now().toISOString() }, { ifMatch: current._etag });
  }

  /** Withdraws one of the caller's services, after `ifMatch` accepts the version read. */
  async delete(expertId: string, id: string, ifMatch: (etag: string) => void): Promise<void> {
    const current = await this.own(expertId, id);
    ifMatch(current._etag);
    await this.deps.services.delete(expertId, id, { ifMatch: current._etag });
  }

  /** The caller's own services, published or not, newest first. */
  async listOwn(expertId: string, page: { limit: number; continuation?: string }): Promise<Page<Stored<ExpertService>>> {
    return this.list(expertId, false, page);
  }

  /**
   * What visitors see of an expert: the published services, newest first, and none while the
   * profile is hidden (they would advertise an expert the marketplace does not show). A page
   * shown counts toward trending services.
   */
  async listPublished(expertId: string, page: { limit: number; continuation?: string }): Promise<Page<Stored<ExpertService>>> {
    if (!(await this.deps.isProfilePublic(expertId))) return { items: [], continuation: null };
    const found = await this.list(expertId, true, page);
    await this.deps.shown(
      expertId,
      found.items.map((service) => service.id),
    );
    return found;
  }

  private list(expertId: string, publishedOnly: boolean, page: { limit: number; continuation?: string }): Promise<Page<Stored<ExpertService>>> {
    return this.deps.services.query({
      partitionKey: expertId,
      ...(publishedOnly ? { where: { field: 'published', op: 'eq', value: true } } : {}),
      orderBy: [{ field: 'createdAt', direction: 'desc' }],
      limit: page.limit,
      continuation: page.continuation,
    });
  }
}
