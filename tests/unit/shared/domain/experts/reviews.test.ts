import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { expertReviews } from '../../../../../shared/domain/experts/containers';
import { type ExpertReview, ExpertReviews } from '../../../../../shared/domain/experts/reviews';

const review = (id: string, expertId: string, createdAt: string): ExpertReview => ({ id, expertId, clientName: 'Dana K.', rating: 5, title: 'Clear', text: 'Clear advice.', createdAt });

describe("an expert's reviews", () => {
  it('are listed newest first for a public expert, and are a 404 for any other', async () => {
    const container = await SqliteDocumentStore.open(':memory:').container<ExpertReview>(expertReviews);
    await container.create(review('r-old', 'e1', '2026-01-01T00:00:00.000Z'));
    await container.create(review('r-new', 'e1', '2026-02-01T00:00:00.000Z'));
    await container.create(review('r-hidden', 'e2', '2026-02-01T00:00:00.000Z'));
    const reviews = new ExpertReviews(container, async (expertId) => expertId === 'e1');
    expect((await reviews.list('e1', { limit: 10 })).items.map((item) => item.id)).toEqual(['r-new', 'r-old']);
    await expect(reviews.list('e2', { limit: 10 })).rejects.toMatchObject({ kind: 'not_found', message: 'No public expert with this id.' });
  });
});
