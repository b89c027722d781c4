/**
 * Permission codes (`module:resource:action`). The server decides every request with these; the
 * console uses them only to hide what a user cannot do.
 */
export const MERCHANT_PERMISSIONS = [
  'shop:settings:read',
  'shop:settings:update',
  'shop:design:read',
  'shop:design:manage',
  'staff:member:read',
  'staff:member:manage',
  'customer:shopper:read',
  'customer:member:manage',
  'audit:log:read',
  'onboarding:document:read',
  'onboarding:document:manage',
  'catalog:product:read',
  'catalog:product:manage',
  'order:order:read',
  'order:order:manage',
  'order:refund:manage',
  'order:price:manage',
  'order:settings:manage',
  'payment:settings:manage',
  'review:review:manage',
  'marketing:coupon:read',
  'marketing:coupon:manage',
  'marketing:promotion:read',
  'marketing:promotion:manage',
  'distribution:commission:read',
  'distribution:commission:manage',
  'aftersale:case:read',
  'aftersale:case:manage',
  'support:conversation:manage',
  'miniapp:release:manage',
  'data:analytics:read',
] as const;
export type MerchantPermission = (typeof MERCHANT_PERMISSIONS)[number];

export const PLATFORM_PERMISSIONS = [
  'platform:tenant:read',
  'platform:tenant:manage',
  'platform:queue:manage',
  'platform:audit:read',
  'platform:review:read',
  'platform:review:decide',
  'platform:rules:manage',
  'platform:release:manage',
  'platform:complaint:read',
  'platform:complaint:decide',
  'platform:figures:read',
] as const;
export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number];

export const MERCHANT_ROLES = ['owner', 'staff'] as const;
export type MerchantRole = (typeof MERCHANT_ROLES)[number];

export const PLATFORM_ROLES = ['admin', 'reviewer'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const MERCHANT_ROLE_PERMISSIONS: Record<MerchantRole, readonly MerchantPermission[]> = {
  owner: MERCHANT_PERMISSIONS,
  staff: [
    'shop:settings:read',
    'shop:design:read',
    'customer:shopper:read',
    'onboarding:document:read',
    'catalog:product:read',
    'catalog:product:manage',
    'order:order:read',
    'order:order:manage',
    'review:review:manage',
    'marketing:coupon:read',
    'marketing:coupon:manage',
    'marketing:promotion:read',
    'marketing:promotion:manage',
    'distribution:commission:read',
    'aftersale:case:read',
    'aftersale:case:manage',
    'support:conversation:manage',
  ],
};

export const PLATFORM_ROLE_PERMISSIONS: Record<PlatformRole, readonly PlatformPermission[]> = {
  admin: PLATFORM_PERMISSIONS,
  reviewer: [
    'platform:tenant:read',
    'platform:review:read',
    'platform:review:decide',
    'platform:complaint:read',
    'platform:complaint:decide',
  ],
};
