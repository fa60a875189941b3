import { AppError } from '../../errors';
import type { Container, Document, Page, Stored } from '../../data/document-store';

/**
 * What clients said about an expert. Reviews will be written after a completed booking, which
 * is not modelled yet; for now the seed writes them. The profile's `rating` aggregate (average,
 * count) summarises them.
 */
export interface ExpertReview extends Document {
  expertId: string;
  /** First name and initial ("Dana K."), as reviews are shown publicly. */
  clientName: string;
  /** 1..5, whole stars. */
  rating: number;
  title: string;
  text: string;
  /** The service the review is about, when it was one. */
  serviceId?: string;
  createdAt: string;
}

/** Reviews are read per expert (the partition), newest first. */
export class ExpertReviews {
  constructor(
    private readonly container: Container<ExpertReview>,
    /** Whether the expert's profile is public: their reviews are shown only then. */
    private readonly isProfilePublic: (expertId: string) => Promise<boolean>,
  ) {}

  /** A public expert's reviews; 404 for any other expert, as for a profile nobody may see. */
  async list(expertId: string, options: { limit: number; continuation?: string }): Promise<Page<Stored<ExpertReview>>> {
    if (!(await this.isProfilePublic(expertId))) throw new AppError('not_found', 'No public expert with this id.');
    return this.container.query({ partitionKey: expertId, orderBy: [{ field: 'createdAt', direction: 'desc' }], limit: options.limit, continuation: options.continuation });
  }
}
