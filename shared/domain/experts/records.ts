import type { Document } from '../../data/document-store';
import type { ProfileInput } from './profile-schema';

/** The badge state on a profile. Only an admin's approval of a verification request sets `verified`. */
export interface ProfileVerification {
  status: 'unverified' | 'pending' | 'verified' | 'rejected';
  requestId?: string;
  verifiedAt?: string;
  reason?: string;
}

export interface ExpertProfile extends Document, ProfileInput {
  /** The expert's user id. */
  id: string;
  published: boolean;
  verification: ProfileVerification;
  rating: { average: number; count: number };
  /**
   * How quickly the expert answers clients: the median hours to a first reply over the last
   * `sample` requests. Kept by the marketplace (bookings and RFQ replies feed it), never by the
   * expert; absent until there is a first reply.
   */
  responsiveness?: { medianHours: number; sample: number };
  createdAt: string;
  updatedAt: string;
}

export interface ExpertDocument extends Document {
  expertId: string;
  fileName: string;
  contentType: 'application/pdf' | 'image/png' | 'image/jpeg';
  maxBytes: number;
  blobName: string;
  /** `missing`: the verification checks found the file gone from storage. */
  status: 'awaiting_upload' | 'uploaded' | 'missing';
  size?: number;
  createdAt: string;
  uploadedAt?: string;
}
