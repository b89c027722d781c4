/** A shop slug (contracts SLUG_PATTERN): lowercase letters, digits and hyphens, 3 to 32 characters. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$/;

/** A theme colour as the API takes it (contracts HEX_COLOR). */
export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
