/** Response shapes of the Trakt endpoints we use (only the fields we read). */

export interface TraktListItem {
  rank: number;
  id: number;
  listed_at?: string;
  type: string;
  [media: string]: unknown;
}

export interface TraktTokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
  created_at: number;
}

export interface TraktDeviceCode {
  device_code: string;
  user_code: string;
  verification_url: string;
  expires_in: number;
  interval: number;
}
