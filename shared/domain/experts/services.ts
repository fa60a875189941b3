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
 * lookup run, to tell "someone else's" (403) from "there is none" (404).
 */
export class ExpertServices {
  constructor(
    private readonly container: Container<ExpertService>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `id` from an idempotent request: a second run of it (after a crash) gets the service the first created. */
  async create(expertId: string, input: ServiceInput, id: string = randomUUID()): Promise<Stored<ExpertService>> {
    // Two creates racing at 49 could both pass; the cap is against spam, so one over is acceptable.
    if ((await this.container.count({ partitionKey: expertId })) >= MAX_SERVICES_PER_EXPERT) {
      throw new AppError('conflict', `You already offer ${MAX_SERVICES_PER_EXPERT} services, the most an expert may; delete one first.`);
    }
    const at = this.now().toISOString();
    return createOnce(this.container, expertId, { ...input, id, expertId, createdAt: at, updatedAt: at });
  }

  /** The caller's own service: 404 when there is none, 403 when it is another expert's. */
  async own(expertId: string, id: string): Promise<Stored<ExpertService>> {
    const service = await this.container.read(expertId, id);
    if (service) return service;
    const elsewhere = await this.container.query({ where: { field: 'id', op: 'eq', value: id }, limit: 1 });
    if (elsewhere.items.length) throw new AppError('forbidden', 'This service belongs to another expert.');
    throw new AppError('not_found', 'No such service.');
  }

  /** Replaces a service as read by own(); the store refuses it (412) if it changed since that read. */
  async replace(current: Stored<ExpertService>, input: ServiceInput): Promise<Stored<ExpertService>> {
    const { id, expertId, createdAt } = current;
    return this.container.replace({ ...input, id, expertId, createdAt, updatedAt: this.now().toISOString() }, { ifMatch: current._etag });
  }

  async delete(current: Stored<ExpertService>): Promise<void> {
    await this.container.delete(current.expertId, current.id, { ifMatch: current._etag });
  }

  /** An expert's services, newest first; `publishedOnly` for what others may see. */
  async list(expertId: string, options: { publishedOnly: boolean; limit: number; continuation?: string }): Promise<Page<Stored<ExpertService>>> {
    return this.container.query({
      partitionKey: expertId,
      ...(options.publishedOnly ? { where: { field: 'published', op: 'eq', value: true } } : {}),
      orderBy: [{ field: 'createdAt', direction: 'desc' }],
      limit: options.limit,
      continuation: options.continuation,
    });
  }
}
