// The public JSON shape of an outbound queue entry (CLI --json, API).
import type { QueueEntry } from '../store/types.js';

export function queueEntryView(e: QueueEntry) {
  return {
    id: e.id,
    status: e.status,
    from: e.mailFrom,
    to: e.rcptTo,
    message_id: e.messageId,
    size: e.size,
    attempts: e.attempts,
    next_attempt_at: e.nextAttemptAt,
    last_attempt_at: e.lastAttemptAt,
    last_response: e.lastError,
    expires_at: e.expiresAt,
    grant_id: e.accountId,
    application_id: e.applicationId,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}
