// The REST API's errors: `{"request_id", "error": {"type", "message"}}`, with the hosted v3
// API's type names (api.invalid_request_error, api.not_found_error, …) so SDKs that branch on
// `type` behave the same. Routes throw a WicketError (services) or an ApiError (HTTP-only cases).
import type { ErrorKind } from '../errors.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A service error's HTTP status and type. */
export const KIND_STATUS: Record<ErrorKind, { status: number; type: string }> = {
  invalid: { status: 400, type: 'api.invalid_request_error' },
  not_found: { status: 404, type: 'api.not_found_error' },
  conflict: { status: 409, type: 'api.conflict_error' },
  unavailable: { status: 503, type: 'api.service_unavailable' },
};

/** The type for a status when nothing more specific is known (framework errors). */
export function typeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'api.invalid_request_error';
    case 401:
      return 'api.authentication_error';
    case 403:
      return 'api.forbidden_error';
    case 404:
      return 'api.not_found_error';
    case 405:
      return 'api.method_not_allowed';
    case 409:
      return 'api.conflict_error';
    case 413:
      return 'api.payload_too_large';
    case 415:
      return 'api.unsupported_media_type';
    case 429:
      return 'api.rate_limit_error';
    case 503:
      return 'api.service_unavailable';
    case 507:
      return 'api.insufficient_storage';
    default:
      return status >= 500 ? 'api.internal_error' : 'api.invalid_request_error';
  }
}

export const unauthorized = (): ApiError =>
  // One answer for a missing, unknown or revoked key: nothing about what exists.
  new ApiError(401, 'api.authentication_error', 'Unauthorized: send a valid API key as "Authorization: Bearer <key>"');
